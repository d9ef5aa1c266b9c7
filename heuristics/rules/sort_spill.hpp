#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! sort_spill: a Sort that spilled to disk (Sort Space Type "Disk": external merge/sort).
//! Advice: the work_mem that would fit it in memory, from the disk space the sort used and its
//! rows (per-row overhead in memory). Needs ANALYZE.
Rule sort_spill();

}  // namespace heuristics::rules
