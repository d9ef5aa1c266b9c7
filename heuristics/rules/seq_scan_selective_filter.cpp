#include "heuristics/rules/seq_scan_selective_filter.hpp"

#include <cstdio>

#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

constexpr double block_bytes = 8192;

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : flatten(*context.plan)) {
    const model::PlanNode& scan = *ref.node;
    if (scan.node_type != "Seq Scan" || !scan.analyzed() || !scan.rows_removed_by_filter)
      continue;
    const double returned = scan.total_actual_rows();
    const double removed = *scan.rows_removed_by_filter * scan.loops();
    const double scanned = returned + removed;
    if (scanned <= 0)
      continue;
    const double ratio = removed / scanned;
    if (ratio < settings.selective_filter_ratio)
      continue;

    // The catalog knows the table's size; the plan only knows what this scan read, which is
    // the whole table for an unlimited seq scan.
    const model::TableInfo* table = scanned_table(scan, context);
    const double table_rows = table != nullptr && table->reltuples >= 0 ? table->reltuples : scanned / scan.loops();
    if (table_rows < settings.min_table_rows)
      continue;

    char percent[16];
    std::snprintf(percent, sizeof percent, "%.1f", ratio * 100);
    model::Finding finding;
    finding.rule_id = "seq_scan_selective_filter";
    finding.title = "Sequential scan reads " + count_text(scanned) + " rows to keep " + count_text(returned) +
                    " (" + percent + " % removed by the filter)";
    finding.location = scan.label();
    finding.relation = scanned_relation(scan, context);
    finding.evidence = {
      {"rows_scanned", scanned, "rows"},
      {"rows_removed", removed, "rows"},
      {"rows_returned", returned, "rows"},
      {"removed_ratio", ratio, "ratio"},
      {"time", wall_ms(ref), "ms"},
    };
    if (scan.has_buffers)
      finding.evidence.push_back({"buffers_read", static_cast<double>(scan.buffers.shared_read) * block_bytes, "bytes"});
    finding.time_share = time_share(ref, *context.plan);
    finding.advice = "An index on the filtered column(s) of " + finding.relation + " (" + scan.filter +
                     ") would let PostgreSQL read only the matching rows.";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule seq_scan_selective_filter()
{
  return Rule{"seq_scan_selective_filter", "Sequential scan with a selective filter on a large table", true, true, run};
}

}  // namespace heuristics::rules
