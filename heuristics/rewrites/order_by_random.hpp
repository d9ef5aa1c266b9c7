#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! `ORDER BY random()`: every row is read and sorted to pick a few at random.
Rule order_by_random();

}  // namespace heuristics::rewrites
