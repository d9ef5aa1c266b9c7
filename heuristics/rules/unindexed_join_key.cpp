#include "heuristics/rules/unindexed_join_key.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"
#include "heuristics/shape_columns.hpp"

namespace heuristics::rules {

namespace {

struct Side {
  std::size_t scanned;  //!< child index of the side that seq-scans
  bool needs_few_probes;  //!< a hash/merge join is only worse than index lookups for few probes
};

std::vector<Side> sides_of(const model::PlanNode& join)
{
  if (join.children.size() != 2)
    return {};
  if (join.node_type == "Nested Loop")
    return {{1, false}};
  if (join.node_type == "Hash Join" || join.node_type == "Merge Join")
    return {{1, true}, {0, true}};
  return {};
}

std::optional<std::string> column_from_shape(const model::PlanNode& scan, const RuleContext& context)
{
  if (context.shape == nullptr)
    return std::nullopt;
  const parser::QueryShape& shape = *context.shape;
  const auto scanned = table_for_relation(shape, scan.relation_name, scan.alias);
  if (!scanned)
    return std::nullopt;
  for (const parser::JoinEquality& join : shape.joins) {
    for (const parser::ColumnUse* column : {&join.left, &join.right}) {
      if (!column->function.empty())
        continue;
      if (resolve_table(*column, shape, context.catalog) == scanned)
        return column->column;
    }
  }
  return std::nullopt;
}

//! Without a shape (offline plan analysis): "alias.column = alias.column" in the join's
//! condition, as EXPLAIN prints it.
std::optional<std::string> column_from_condition(const model::PlanNode& scan, const model::PlanNode& join)
{
  static const std::regex equality(R"(([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*))");
  const std::string& alias = scan.alias.empty() ? scan.relation_name : scan.alias;
  for (const std::string* condition : {&join.hash_cond, &join.merge_cond, &join.join_filter}) {
    for (std::sregex_iterator it(condition->begin(), condition->end(), equality), end; it != end; ++it) {
      if ((*it)[1] == alias)
        return (*it)[2].str();
      if ((*it)[3] == alias)
        return (*it)[4].str();
    }
  }
  return std::nullopt;
}

bool has_leading_index(const model::TableInfo& table, const std::string& column)
{
  for (const model::IndexInfo& index : table.indexes) {
    if (!index.valid || index.columns.empty() || index.columns.front() != column)
      continue;
    if (!index.is_expression.empty() && index.is_expression.front())
      continue;
    if (index.access_method.empty() || index.access_method == "btree" || index.access_method == "hash")
      return true;
  }
  return false;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  std::vector<model::Finding> findings;
  std::set<std::string> reported;  //!< relation.column, once per query
  const std::vector<NodeRef> nodes = flatten(*context.plan);
  for (const NodeRef& ref : nodes) {
    const model::PlanNode& join = *ref.node;
    for (const Side& side : sides_of(join)) {
      const model::PlanNode& scan = producer(join.children[side.scanned]);
      if (scan.node_type != "Seq Scan" || scan.relation_name.empty())
        continue;
      const model::TableInfo* table = scanned_table(scan, context);
      const double scanned_rows = rows_read(scan);
      const double table_rows = table != nullptr && table->reltuples >= 0 ? table->reltuples : scanned_rows / scan.loops();
      if (table_rows < settings.min_table_rows)
        continue;
      const double probe_rows = rows_out(join.children[1 - side.scanned]);
      if (side.needs_few_probes && probe_rows > settings.join_probe_ratio * table_rows)
        continue;

      auto column = column_from_shape(scan, context);
      if (!column)
        column = column_from_condition(scan, join);
      if (!column || (table != nullptr && has_leading_index(*table, *column)))
        continue;
      const std::string relation = scanned_relation(scan, context);
      if (!reported.insert(relation + "." + *column).second)
        continue;

      model::Finding finding;
      finding.rule_id = "unindexed_join_key";
      finding.title = join.label() + " scans all of " + relation + " to match " + count_text(probe_rows) +
                      " row(s) on " + *column + ", which no index leads with";
      finding.location = scan.label();
      finding.relation = relation;
      finding.evidence = {
        {"rows_scanned", scanned_rows, "rows"},
        {"probe_rows", probe_rows, "rows"},
        {"loops", scan.loops(), "loops"},
      };
      const NodeRef& scan_ref = *std::find_if(nodes.begin(), nodes.end(), [&](const NodeRef& r) { return r.node == &scan; });
      if (scan.analyzed())
        finding.evidence.push_back({"time", wall_ms(scan_ref), "ms"});
      finding.time_share = time_share(scan_ref, *context.plan);
      finding.advice = "An index on " + relation + " (" + *column +
                       ") lets the join look up the matching rows instead of reading the whole table.";
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace

Rule unindexed_join_key()
{
  return Rule{"unindexed_join_key", "Join key without an index on a sequentially scanned table", true, false, run};
}

}  // namespace heuristics::rules
