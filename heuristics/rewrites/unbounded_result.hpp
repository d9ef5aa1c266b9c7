#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! A SELECT without LIMIT that returns a very large number of rows per call (from the
//! statement statistics): paginate or stream it. Silent without statistics.
Rule unbounded_result();

}  // namespace heuristics::rewrites
