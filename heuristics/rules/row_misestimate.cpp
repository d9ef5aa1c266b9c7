#include "heuristics/rules/row_misestimate.hpp"

#include <algorithm>
#include <map>

#include "heuristics/identifiers.hpp"
#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "row_misestimate";

bool is_join(const model::PlanNode& node)
{
  return node.node_type == "Nested Loop" || node.node_type == "Hash Join" || node.node_type == "Merge Join";
}

//! A consumer whose plan depends on the row count it is given.
bool sensitive_consumer(const model::PlanNode* parent)
{
  return parent != nullptr && (is_join(*parent) || parent->node_type == "Hash" || parent->node_type == "Sort" ||
                               parent->node_type == "Incremental Sort");
}

//! actual / estimated, or the inverse, whichever is >= 1 (both per loop, as EXPLAIN prints them).
double estimate_ratio(const model::PlanNode& node)
{
  const double actual = std::max(node.actual_rows.value_or(0), 1.0);
  const double estimated = std::max(node.plan_rows, 1.0);
  return std::max(actual / estimated, estimated / actual);
}

bool misestimated(const model::PlanNode& node, const RuleSettings& settings)
{
  if (!node.analyzed() || node.actual_loops.value_or(0) <= 0)
    return false;
  const double larger = std::max(node.actual_rows.value_or(0), node.plan_rows);
  return larger >= settings.misestimate_min_rows && estimate_ratio(node) >= settings.misestimate_ratio;
}

//! The columns of one scanned table that the node's conditions test.
std::vector<std::string> filtered_columns(const model::PlanNode& scan)
{
  std::vector<std::string> out;
  for (const std::string* condition : {&scan.index_cond, &scan.recheck_cond, &scan.filter})
    for (const auto& column : condition_columns(*condition)) {
      if (!column.qualifier.empty() && column.qualifier != scan.alias && column.qualifier != scan.relation_name)
        continue;
      if (std::find(out.begin(), out.end(), column.name) == out.end())
        out.push_back(column.name);
    }
  return out;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (!require_analyze(context, k_id))
    return {};
  const std::vector<NodeRef> nodes = flatten(*context.plan);
  std::map<const model::PlanNode*, double> wall;
  for (const NodeRef& ref : nodes)
    wall[ref.node] = wall_ms(ref);
  const double total = total_ms(*context.plan);

  std::vector<model::Finding> findings;
  for (const NodeRef& ref : nodes) {
    const model::PlanNode& node = *ref.node;
    if (!sensitive_consumer(ref.parent) || !misestimated(node, settings))
      continue;
    // The origin of a wrong estimate, not every node it propagates through.
    const bool inherited = std::any_of(node.children.begin(), node.children.end(),
                                       [&](const model::PlanNode& child) { return misestimated(child, settings); });
    if (inherited)
      continue;

    const double actual = node.actual_rows.value_or(0);
    const bool under = actual > node.plan_rows;
    const model::PlanNode& source = producer(node);
    const bool scan = !source.relation_name.empty();
    const std::vector<std::string> columns = scan ? filtered_columns(source) : std::vector<std::string>{};

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = std::string("Row estimate ") + (under ? "too low" : "too high") + ": " + count_text(node.plan_rows) +
                    " estimated, " + count_text(actual) + " actual (" + count_text(estimate_ratio(node)) + "x) under " +
                    ref.parent->label();
    finding.location = node.label();
    if (scan)
      finding.relation = scanned_relation(source, context);
    finding.evidence = {
      {"estimated_rows", node.plan_rows, "rows"},
      {"actual_rows", actual, "rows"},
      {"estimate_ratio", estimate_ratio(node), "ratio"},
      {"loops", node.loops(), "loops"},
    };
    const double explained_ms = wall[&node] + wall[ref.parent];
    finding.evidence.push_back({"time", explained_ms, "ms"});
    finding.time_share = total > 0 ? std::min(1.0, explained_ms / total) : 0;
    if (scan && columns.size() >= 2) {
      // Each column's own statistics may be right: the planner multiplies their selectivities
      // as if independent, which correlated columns are not.
      std::vector<std::string> quoted;
      for (const auto& column : columns)
        quoted.push_back(quote_ident(column));
      finding.advice = "The filter tests " + std::to_string(columns.size()) + " columns of " + finding.relation +
                       " together; if they are correlated, extended statistics fix the estimate: CREATE STATISTICS ON " +
                       join_list(quoted) + " FROM " + finding.relation + "; ANALYZE " + finding.relation + ";";
    } else if (scan) {
      finding.advice = "Refresh the statistics: ANALYZE " + finding.relation +
                       "; if the estimate stays wrong, raise the column's statistics target (ALTER TABLE … ALTER " +
                       "COLUMN … SET STATISTICS 1000).";
    } else {
      finding.advice = "ANALYZE the tables below this node; the join or sort above was planned for " +
                       count_text(node.plan_rows) + " rows, not " + count_text(actual) + ".";
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule row_misestimate()
{
  return Rule{k_id, "Row estimate off by 10x or more below a join or sort", true, true, run};
}

}  // namespace heuristics::rules
