#include "heuristics/rules/index_scan_filter_removes_rows.hpp"

#include "heuristics/identifiers.hpp"
#include "heuristics/number_format.hpp"
#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "index_scan_filter_removes_rows";

bool index_scan(const model::PlanNode& node)
{
  return node.node_type == "Index Scan" || node.node_type == "Index Only Scan" ||
         node.node_type == "Bitmap Heap Scan";
}

//! The index and its condition: on the node, or on the Bitmap Index Scan below a Bitmap Heap Scan.
const model::PlanNode& index_node(const model::PlanNode& scan)
{
  if (scan.node_type == "Bitmap Heap Scan" && scan.children.size() == 1 &&
      scan.children.front().node_type == "Bitmap Index Scan")
    return scan.children.front();
  return scan;
}

//! Equality columns of the filter first, then the index's own columns, then the rest: the
//! order a B-tree serves best.
std::vector<std::string> suggested_columns(const model::PlanNode& scan, const model::PlanNode& index)
{
  const auto filter = condition_columns(scan.filter);
  const auto cond = condition_columns(index.index_cond.empty() ? scan.recheck_cond : index.index_cond);
  std::vector<std::string> out;
  auto add = [&](const ConditionColumn& column) {
    // Columns of another relation (o.id in a join's index condition) are not this table's.
    if (!column.qualifier.empty() && column.qualifier != scan.alias && column.qualifier != scan.relation_name)
      return;
    for (const auto& seen : out)
      if (seen == column.name)
        return;
    out.push_back(column.name);
  };
  for (const auto& column : filter)
    if (column.equality)
      add(column);
  for (const auto& column : cond)
    add(column);
  for (const auto& column : filter)
    add(column);
  return out;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (!require_analyze(context, k_id))
    return {};
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : flatten(*context.plan)) {
    const model::PlanNode& scan = *ref.node;
    if (!index_scan(scan) || scan.filter.empty() || !scan.analyzed())
      continue;
    if (!scan.rows_removed_by_filter) {
      note_missing_field(context, k_id, scan, "Rows Removed by Filter");
      continue;
    }
    const double removed = *scan.rows_removed_by_filter * scan.loops();
    const double returned = scan.total_actual_rows();
    const double read = removed + returned;
    if (read <= 0 || removed < settings.index_filter_min_removed || removed / read < settings.selective_filter_ratio)
      continue;
    const model::PlanNode& index = index_node(scan);
    const std::vector<std::string> columns = suggested_columns(scan, index);

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = "Index finds " + count_text(read) + " rows, the filter keeps " + count_text(returned) + " (" +
                    format_percent(removed / read) + " removed)";
    finding.location = scan.label();
    finding.relation = scanned_relation(scan, context);
    finding.evidence = {
      {"rows_from_index", read, "rows"},
      {"rows_removed_by_filter", removed, "rows"},
      {"rows_returned", returned, "rows"},
      {"removed_ratio", removed / read, "ratio"},
      {"time", wall_ms(ref), "ms"},
    };
    finding.time_share = time_share(ref, *context.plan) * (removed / read);
    const std::string index_name = index.index_name.empty() ? "the index" : index.index_name;
    finding.advice = index_name + " does not cover the filter " + scan.filter + "; a multi-column index reads only the " +
                     "matching rows: CREATE INDEX ON " + finding.relation + " (" + join_list(columns) + ").";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule index_scan_filter_removes_rows()
{
  return Rule{k_id, "Index scan whose filter throws away most of the rows the index found", true, true, run};
}

}  // namespace heuristics::rules
