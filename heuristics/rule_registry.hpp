#pragma once
// Every rule, in one list, and the function that runs the enabled ones.

#include <vector>

#include "heuristics/rule.hpp"

namespace heuristics {

//! All rules, in a stable order (ids are unique).
const std::vector<Rule>& all_rules();

//! Runs every enabled rule whose needs are met (a plan when needs_plan; an analysed plan when
//! needs_analyze) and returns the findings sorted by time_share, largest first (ties keep the
//! rule order).
std::vector<model::Finding> run_rules(const RuleContext& context, const RuleSettings& settings);

}  // namespace heuristics
