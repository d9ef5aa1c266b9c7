#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! workers_not_launched: a Gather or Gather Merge that launched fewer workers than planned
//! (max_parallel_workers or max_worker_processes exhausted at run time). Needs ANALYZE.
Rule workers_not_launched();

}  // namespace heuristics::rules
