#include "heuristics/rules/low_read_efficiency.hpp"

#include <algorithm>

#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "low_read_efficiency";

bool scan_node(const model::PlanNode& node)
{
  return node.node_type == "Seq Scan" || node.node_type == "Index Scan" || node.node_type == "Index Only Scan" ||
         node.node_type == "Bitmap Heap Scan";
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (!require_analyze(context, k_id))
    return {};
  std::vector<model::Finding> findings;
  bool noted = false;
  for (const NodeRef& ref : flatten(*context.plan)) {
    const model::PlanNode& scan = *ref.node;
    if (!scan_node(scan) || !scan.analyzed() || scan.actual_loops.value_or(0) <= 0)
      continue;
    if (!scan.has_buffers) {
      if (!noted)
        add_note(context, k_id, "skipped: the plan has no buffer counts (EXPLAIN without BUFFERS)");
      noted = true;
      continue;
    }
    const double buffers = static_cast<double>(scan.buffers.shared_hit + scan.buffers.shared_read +
                                               scan.buffers.local_hit + scan.buffers.local_read);
    // Rows the scan looked at, filtered ones included (a selective filter is another rule's
    // finding), and at least one per loop (an index probe that finds nothing is not waste).
    const double rows = std::max(rows_read(scan) + scan.rows_removed_by_index_recheck.value_or(0) * scan.loops(),
                                 scan.loops());
    const double per_row = buffers / std::max(rows, 1.0);
    if (buffers < settings.min_read_buffers || per_row < settings.buffers_per_row)
      continue;

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = "Scan touched " + count_text(buffers) + " buffers for " + count_text(rows) + " rows (" +
                    count_text(per_row) + " per row)";
    finding.location = scan.label();
    finding.relation = scanned_relation(scan, context);
    finding.evidence = {
      {"buffers", buffers, "blocks"},
      {"rows_read", rows, "rows"},
      {"buffers_per_row", per_row, "ratio"},
      {"time", wall_ms(ref), "ms"},
    };
    const model::TableInfo* table = scanned_table(scan, context);
    if (table != nullptr && table->activity) {
      finding.evidence.push_back({"n_dead_tup", static_cast<double>(table->activity->n_dead_tup), "rows"});
      finding.evidence.push_back({"n_live_tup", static_cast<double>(table->activity->n_live_tup), "rows"});
    }
    finding.time_share = time_share(ref, *context.plan);
    if (scan.node_type == "Seq Scan")
      finding.advice = "Most pages of " + finding.relation + " hold no live rows: the table is bloated with dead " +
                       "rows. VACUUM " + finding.relation + " lets the space be reused (VACUUM FULL or pg_repack " +
                       "shrinks it); then check why autovacuum fell behind.";
    else
      finding.advice = "The index path visits " + count_text(per_row) + " pages per row: the index or the table is " +
                       "bloated (REINDEX CONCURRENTLY, VACUUM " + finding.relation + ") or the index order scatters " +
                       "the rows (CLUSTER, or an index that covers the query).";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule low_read_efficiency()
{
  return Rule{k_id, "Scan touches many buffers per row: bloat or a wandering access path", true, true, run};
}

}  // namespace heuristics::rules
