#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! cte_materialized: a materialised CTE (AS MATERIALIZED, or referenced more than once) of at
//! least cte_min_rows rows that a CTE Scan filters, discarding selective_filter_ratio or more of
//! them: the filter could be pushed into the CTE. Works on estimates without ANALYZE.
Rule cte_materialized();

}  // namespace heuristics::rules
