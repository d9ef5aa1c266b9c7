#include "heuristics/rules/workers_not_launched.hpp"

#include <algorithm>

#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "workers_not_launched";

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& /*settings*/)
{
  if (!require_analyze(context, k_id))
    return {};
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : flatten(*context.plan)) {
    const model::PlanNode& gather = *ref.node;
    if ((gather.node_type != "Gather" && gather.node_type != "Gather Merge") || !gather.analyzed() ||
        gather.actual_loops.value_or(0) <= 0)
      continue;
    if (!gather.workers_planned || !gather.workers_launched) {
      note_missing_field(context, k_id, gather, gather.workers_planned ? "Workers Launched" : "Workers Planned");
      continue;
    }
    const double planned = *gather.workers_planned;
    const double launched = *gather.workers_launched;
    if (launched >= planned)
      continue;

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = "Parallel query launched " + count_text(launched) + " of " + count_text(planned) + " planned workers";
    finding.location = gather.label();
    finding.evidence = {
      {"workers_planned", planned, "workers"},
      {"workers_launched", launched, "workers"},
      {"time", gather.inclusive_ms(), "ms"},
    };
    // The leader works too: the missing workers are that share of the processes planned.
    const double total = total_ms(*context.plan);
    const double missing_share = (planned - launched) / (planned + 1);
    finding.time_share = total > 0 ? std::clamp(gather.inclusive_ms() / total * missing_share, 0.0, 1.0) : 0;
    finding.advice = "No background worker was free when the query started: max_parallel_workers (or " +
                     std::string("max_worker_processes) is exhausted by concurrent parallel queries. Raise them if ") +
                     "the CPUs allow, or lower max_parallel_workers_per_gather so that more queries get some workers.";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule workers_not_launched()
{
  return Rule{k_id, "Parallel workers planned but not launched", true, true, run};
}

}  // namespace heuristics::rules
