#include "heuristics/rewrites/count_star_full_table.hpp"

#include "heuristics/rewrites/rewrite_support.hpp"
#include "heuristics/rewrites/statement.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  auto statement = statement_of(context);
  const json* select = statement ? statement->select() : nullptr;
  if (select == nullptr || context.catalog == nullptr)
    return {};
  for (const char* key : {"whereClause", "groupClause", "havingClause", "limitCount", "distinctClause"})
    if (select->contains(key))
      return {};
  const json& targets = child(*select, "targetList");
  const json& from = child(*select, "fromClause");
  if (!targets.is_array() || targets.size() != 1 || !from.is_array() || from.size() != 1 ||
      node_of(from[0], "RangeVar") == nullptr)
    return {};
  const json* call = node_of(child(child(targets[0], "ResTarget"), "val"), "FuncCall");
  if (call == nullptr || function_name(*call) != "count" || call->contains("over") || call->contains("agg_filter"))
    return {};
  // count(*), count(1) and count(<not-null column>) all count every row.
  const bool every_row = call->value("agg_star", false) || (child(*call, "args").size() == 1 &&
                                                            node_of(child(*call, "args")[0], "A_Const") != nullptr);
  if (!every_row)
    return {};
  std::optional<std::size_t> table;
  for (std::size_t t = 0; t < context.shape->tables.size(); ++t)
    if (context.shape->tables[t].select_level == 0)
      table = t;
  if (!table || table_size(context, settings, *table) != TableSize::large)
    return {};

  const model::TableInfo* info = catalog_table(context, *table);
  const std::string relation = relation_of(context, *table);
  auto finding = make_finding("count_star_full_table", "Exact count(*) of the whole table reads every row",
                              "SELECT list: count(*)", relation);
  finding.evidence = {{"table_rows", info->reltuples, "rows"},
                      {"table_bytes", static_cast<double>(info->size_bytes), "bytes"}};
  finding.advice = "When an approximate count will do, read the planner's estimate: SELECT reltuples::bigint FROM "
                   "pg_class WHERE oid = '" + relation + "'::regclass (kept current by autovacuum/ANALYZE). When "
                   "it must be exact and frequent, maintain a counter table with triggers.";
  return {finding};
}

}  // namespace

Rule count_star_full_table()
{
  return Rule{"count_star_full_table", "count(*) over a whole large table", false, false, run};
}

}  // namespace heuristics::rewrites
