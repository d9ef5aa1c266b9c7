#include "heuristics/rule_registry.hpp"

#include <algorithm>

#include "heuristics/rewrites/rewrite_rules.hpp"
#include "heuristics/rules/plan_rules.hpp"

namespace heuristics {

const std::vector<Rule>& all_rules()
{
  static const std::vector<Rule> registry = [] {
    auto all = rules::plan_rules();
    for (auto& rule : rewrites::rewrite_rules())
      all.push_back(std::move(rule));
    return all;
  }();
  return registry;
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
