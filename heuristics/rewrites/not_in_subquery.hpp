#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! `x NOT IN (SELECT …)`: no anti-join (a hashed subplan at best, a subplan per row when the
//! subquery does not fit in work_mem) and no rows at all once the subquery yields a NULL.
//! Rewrites it to NOT EXISTS over the same subquery.
Rule not_in_subquery();

}  // namespace heuristics::rewrites
