#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! `a = 1 OR b = 2` over different columns: no single index serves it. Across the tables of a
//! join it forces a full join; on one table it needs an index per column (a BitmapOr).
//! Rewrites a join's OR to UNION ALL branches (each branch excludes the earlier ones' rows)
//! when the SELECT has no DISTINCT, grouping, aggregate, ordering or limit.
Rule or_across_columns();

}  // namespace heuristics::rewrites
