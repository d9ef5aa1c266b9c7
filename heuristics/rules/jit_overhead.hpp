#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! jit_overhead: JIT compilation took a large share of the execution (JIT time / execution
//! time >= jit_share, at least jit_min_ms): the plan's cost crossed jit_above_cost but the query
//! is too short to win it back. Needs ANALYZE (JIT timing exists only then).
Rule jit_overhead();

}  // namespace heuristics::rules
