#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! row_misestimate: a node whose actual rows differ from the estimate by misestimate_ratio or
//! more (either way, the larger at least misestimate_min_rows) and that feeds a join, a Hash
//! or a Sort, so the plan above it was chosen on a wrong number. Reports the lowest such node
//! of a chain. Advice: ANALYZE the table, or CREATE STATISTICS when the node filters on two or
//! more columns of one table (correlated columns). Needs ANALYZE.
Rule row_misestimate();

}  // namespace heuristics::rules
