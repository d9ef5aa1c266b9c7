#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! hash_spill: a Hash (of a Hash Join) that needed more than one batch, or a HashAggregate
//! that spilled (HashAgg Batches > 1, or temp blocks written with BUFFERS). Advice: the hash
//! memory (work_mem x hash_mem_multiplier) that holds it in one batch, from batches x peak
//! memory (plus the disk usage for aggregates). Needs ANALYZE.
Rule hash_spill();

}  // namespace heuristics::rules
