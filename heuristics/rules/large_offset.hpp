#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! large_offset: a Limit that fetches many rows from its input and throws them away before
//! returning its own (fetched - returned >= large_offset_rows): OFFSET pagination, where keyset
//! pagination reads only the page. Needs ANALYZE.
Rule large_offset();

}  // namespace heuristics::rules
