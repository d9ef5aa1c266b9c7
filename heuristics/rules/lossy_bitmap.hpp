#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! lossy_bitmap: a Bitmap Heap Scan whose bitmap did not fit in work_mem and went lossy
//! (lossy / (exact + lossy) heap blocks >= lossy_block_ratio): every row of a lossy block is
//! rechecked. Advice: the work_mem an exact bitmap needs (about 64 bytes per heap block, twice
//! for headroom). Needs ANALYZE.
Rule lossy_bitmap();

}  // namespace heuristics::rules
