#include "heuristics/rules/plan_rules.hpp"

#include "heuristics/rules/seq_scan_selective_filter.hpp"
#include "heuristics/rules/sort_limit_without_index.hpp"
#include "heuristics/rules/unindexed_join_key.hpp"

namespace heuristics::rules {

std::vector<Rule> plan_rules()
{
  return {
    seq_scan_selective_filter(),
    sort_limit_without_index(),
    unindexed_join_key(),
  };
}

}  // namespace heuristics::rules
