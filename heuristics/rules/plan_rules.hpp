#pragma once

#include <vector>

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! Every plan rule (one per file in this folder), in registry order.
std::vector<Rule> plan_rules();

}  // namespace heuristics::rules
