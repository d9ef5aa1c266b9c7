#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! nested_loop_large_inner: a Nested Loop whose inner side is run many times (>= 2 loops) and
//! reads many rows in total (>= nested_loop_inner_rows), either many per loop
//! (>= nested_loop_rows_per_loop: a scan where a lookup belongs) or through a join filter that
//! discards as many: an index on the inner join key, or a hash/merge join. Needs ANALYZE.
Rule nested_loop_large_inner();

}  // namespace heuristics::rules
