#include "heuristics/rule_registry.hpp"

#include <algorithm>

#include "heuristics/rules/seq_scan_selective_filter.hpp"
#include "heuristics/rules/sort_limit_without_index.hpp"
#include "heuristics/rules/unindexed_join_key.hpp"

namespace heuristics {

const std::vector<Rule>& all_rules()
{
  static const std::vector<Rule> rules = {
    rules::seq_scan_selective_filter(),
    rules::sort_limit_without_index(),
    rules::unindexed_join_key(),
  };
  return rules;
}

std::vector<model::Finding> run_rules(const RuleContext& context, const RuleSettings& settings)
{
  std::vector<model::Finding> findings;
  for (const Rule& rule : all_rules()) {
    if (settings.disabled.count(rule.id) != 0)
      continue;
    if (rule.needs_plan && context.plan == nullptr)
      continue;
    if (rule.needs_analyze && (context.plan == nullptr || !context.plan->analyzed))
      continue;
    auto found = rule.run(context, settings);
    findings.insert(findings.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const model::Finding& a, const model::Finding& b) { return a.time_share > b.time_share; });
  return findings;
}

}  // namespace heuristics
