#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! `col IN (…hundreds of literals…)`: long to parse and plan, and one pg_stat_statements entry
//! per list length. Rewrites the list to `= ANY($n)`, one array parameter.
Rule large_in_list();

}  // namespace heuristics::rewrites
