#include "heuristics/rules/heap_fetches.hpp"

#include <algorithm>

#include "heuristics/number_format.hpp"
#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "heap_fetches";

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (!require_analyze(context, k_id))
    return {};
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : flatten(*context.plan)) {
    const model::PlanNode& scan = *ref.node;
    if (scan.node_type != "Index Only Scan" || !scan.analyzed() || scan.actual_loops.value_or(0) <= 0)
      continue;
    if (!scan.heap_fetches) {
      note_missing_field(context, k_id, scan, "Heap Fetches");
      continue;
    }
    const double fetches = *scan.heap_fetches * scan.loops();
    const double returned = scan.total_actual_rows();
    const double ratio = fetches / std::max(returned, 1.0);
    if (fetches < settings.heap_fetch_min || ratio < settings.heap_fetch_ratio)
      continue;

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = "Index-only scan fetched " + count_text(fetches) + " rows from the heap (" +
                    format_percent(std::min(ratio, 1.0)) + " of its rows)";
    finding.location = scan.label();
    finding.relation = scanned_relation(scan, context);
    finding.evidence = {
      {"heap_fetches", fetches, "rows"},
      {"rows_returned", returned, "rows"},
      {"heap_fetch_ratio", ratio, "ratio"},
      {"time", wall_ms(ref), "ms"},
    };
    if (const model::TableInfo* table = scanned_table(scan, context); table != nullptr && table->activity)
      finding.evidence.push_back({"n_dead_tup", static_cast<double>(table->activity->n_dead_tup), "rows"});
    finding.time_share = time_share(ref, *context.plan) * std::min(ratio, 1.0);
    finding.advice = "The visibility map of " + finding.relation + " is out of date, so the scan checks the heap " +
                     "for most rows: VACUUM " + finding.relation + " (and check that autovacuum keeps up with it: " +
                     "autovacuum_vacuum_insert_scale_factor for insert-only tables).";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule heap_fetches()
{
  return Rule{k_id, "Index-only scan that visits the heap: the visibility map needs a VACUUM", true, true, run};
}

}  // namespace heuristics::rules
