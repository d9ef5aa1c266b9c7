#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! low_read_efficiency: a scan that touches many buffers per row it reads (buffers /
//! max(rows read, loops) >= buffers_per_row, at least min_read_buffers): pages full of dead rows
//! (bloat) or an access path that wanders. Needs ANALYZE with BUFFERS.
Rule low_read_efficiency();

}  // namespace heuristics::rules
