#include "heuristics/rules/jit_overhead.hpp"

#include <algorithm>

#include "heuristics/number_format.hpp"
#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "jit_overhead";

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (!require_analyze(context, k_id))
    return {};
  const model::Plan& plan = *context.plan;
  if (!plan.jit_ms)
    return {};  // JIT did not run: nothing to say
  const double total = total_ms(plan);
  if (total <= 0) {
    add_note(context, k_id, "skipped: the plan has a JIT section but no \"Execution Time\"");
    return {};
  }
  const double jit = *plan.jit_ms;
  const double share = std::min(jit / total, 1.0);
  if (jit < settings.jit_min_ms || share < settings.jit_share)
    return {};

  model::Finding finding;
  finding.rule_id = k_id;
  finding.title = "JIT compilation took " + format_ms(jit) + " of " + format_ms(total) + " (" + format_percent(share) + ")";
  finding.location = "JIT";
  finding.evidence = {
    {"jit_time", jit, "ms"},
    {"execution_time", total, "ms"},
    {"jit_share", share, "ratio"},
    {"plan_cost", plan.root.total_cost, "cost"},
  };
  finding.time_share = share;
  finding.advice = "The plan's cost (" + count_text(plan.root.total_cost) + ") crossed jit_above_cost but the query " +
                   "runs too briefly to win the compilation back: raise jit_above_cost (and jit_inline_above_cost, " +
                   "jit_optimize_above_cost) above that cost, or SET jit = off for this workload.";
  return {finding};
}

}  // namespace

Rule jit_overhead()
{
  return Rule{k_id, "JIT compilation takes a large share of the execution time", true, true, run};
}

}  // namespace heuristics::rules
