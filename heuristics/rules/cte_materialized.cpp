#include "heuristics/rules/cte_materialized.hpp"

#include <algorithm>

#include "heuristics/number_format.hpp"
#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "cte_materialized";

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  const std::vector<NodeRef> nodes = flatten(*context.plan);
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : nodes) {
    const model::PlanNode& scan = *ref.node;
    if (scan.node_type != "CTE Scan" || scan.filter.empty())
      continue;
    // The CTE's own plan hangs under the node that runs it as "CTE name".
    const model::PlanNode* cte = nullptr;
    for (const NodeRef& other : nodes)
      if (other.node->subplan_name == "CTE " + scan.cte_name)
        cte = other.node;
    if (cte == nullptr) {
      note_missing_field(context, k_id, scan, "Subplan Name");
      continue;
    }
    const bool actual = scan.analyzed() && cte->analyzed();
    if (actual && !scan.rows_removed_by_filter) {
      note_missing_field(context, k_id, scan, "Rows Removed by Filter");
      continue;
    }
    const double cte_rows = actual ? cte->total_actual_rows() : cte->plan_rows;
    const double kept = actual ? scan.total_actual_rows() : scan.plan_rows * scan.loops();
    const double removed = actual ? *scan.rows_removed_by_filter * scan.loops() : std::max(0.0, cte_rows - kept);
    const double read = removed + kept;
    if (cte_rows < settings.cte_min_rows || read <= 0 || removed / read < settings.selective_filter_ratio)
      continue;

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = "Materialised CTE " + scan.cte_name + " computes " + count_text(cte_rows) + " rows, the filter keeps " +
                    count_text(kept) + (actual ? "" : " (estimated)");
    finding.location = scan.label();
    const model::PlanNode& source = producer(*cte);
    if (!source.relation_name.empty())
      finding.relation = scanned_relation(source, context);
    const double cte_ms = cte->inclusive_ms();
    finding.evidence = {
      {"cte_rows", cte_rows, "rows"},
      {"rows_removed_by_filter", removed, "rows"},
      {"removed_ratio", removed / read, "ratio"},
    };
    if (actual)
      finding.evidence.push_back({"cte_time", cte_ms, "ms"});
    else
      finding.evidence.push_back({"cte_cost", cte->total_cost, "cost"});
    const double total = total_ms(*context.plan);
    finding.time_share = total > 0 ? std::clamp(cte_ms * (removed / read) / total, 0.0, 1.0) : 0;
    finding.advice = "The filter " + scan.filter + " runs after the CTE " + scan.cte_name + " is materialised, so " +
                     format_percent(removed / read) + " of its rows are computed for nothing: move the condition into " +
                     "the CTE, or write it AS NOT MATERIALIZED (PostgreSQL 12+) so the planner pushes it down.";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule cte_materialized()
{
  return Rule{k_id, "Materialised CTE filtered afterwards: the filter could be pushed down", true, false, run};
}

}  // namespace heuristics::rules
