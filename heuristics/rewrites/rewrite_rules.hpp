#pragma once

#include <vector>

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! Every SQL rewrite rule (one per file in this folder), in registry order. They read the
//! query shape and statement statistics; a finding may carry the rewritten SQL.
std::vector<Rule> rewrite_rules();

}  // namespace heuristics::rewrites
