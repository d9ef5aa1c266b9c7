#include "heuristics/rewrites/offset_pagination.hpp"

#include <algorithm>

#include "heuristics/rewrites/rewrite_support.hpp"
#include "heuristics/rewrites/statement.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

//! Below this many skipped rows an OFFSET costs little.
constexpr std::int64_t min_offset = 1000;

struct SortKey {
  std::string text;    //!< as written: o.id
  std::string column;  //!< id
  std::optional<std::size_t> table;
  bool descending = false;
};

std::optional<std::vector<SortKey>> plain_sort_keys(const Statement& statement, const json& select,
                                                    const parser::QueryShape& shape)
{
  std::vector<SortKey> keys;
  for (const auto& item : child(select, "sortClause")) {
    const json* sort = node_of(item, "SortBy");
    if (sort == nullptr || sort->value("sortby_nulls", std::string("SORTBY_NULLS_DEFAULT")) != "SORTBY_NULLS_DEFAULT")
      return std::nullopt;
    const json* ref = node_of(child(*sort, "node"), "ColumnRef");
    auto parts = ref ? column_ref_parts(*ref) : std::nullopt;
    auto span = expression_span(statement, child(*sort, "node"));
    if (!parts || !span)
      return std::nullopt;
    const std::string dir = sort->value("sortby_dir", std::string("SORTBY_DEFAULT"));
    if (dir == "SORTBY_USING")
      return std::nullopt;
    keys.push_back({statement.text(span->first, span->second), parts->second, shape_table(shape, parts->first, 0),
                    dir == "SORTBY_DESC"});
  }
  if (keys.empty())
    return std::nullopt;
  return keys;
}

// The keys name one table, are NOT NULL, and include all columns of one of its unique indexes:
// then "after the last row's key" is exact.
bool unique_ordering(const std::vector<SortKey>& keys, const RuleContext& context)
{
  if (!keys.front().table)
    return false;
  const std::size_t table = *keys.front().table;
  const model::TableInfo* info = catalog_table(context, table);
  if (info == nullptr)
    return false;
  for (const SortKey& key : keys) {
    if (key.table != table || key.descending != keys.front().descending)
      return false;
    const model::ColumnStats* column = info->column(key.column);
    if (column == nullptr || !column->not_null)
      return false;
  }
  for (const auto& index : info->indexes) {
    if (!(index.unique || index.primary) || !index.valid || !index.predicate.empty() || index.columns.empty())
      continue;
    bool covered = true;
    for (std::size_t i = 0; i < index.columns.size(); ++i) {
      const bool expression = i < index.is_expression.size() && index.is_expression[i];
      covered = covered && !expression && std::any_of(keys.begin(), keys.end(), [&](const SortKey& key) {
        return key.column == index.columns[i];
      });
    }
    if (covered)
      return true;
  }
  return false;
}

std::string keyset_rewrite(const Statement& statement, const json& select, const std::vector<SortKey>& keys)
{
  for (const char* key : {"distinctClause", "groupClause", "havingClause", "lockingClause", "windowClause"})
    if (select.contains(key))
      return {};
  auto clauses = select_clauses(statement);
  if (!clauses.offset || !clauses.from || !clauses.order)
    return {};
  const auto& tokens = statement.tokens;
  const int first_param = max_param(statement) + 1;
  std::string left, right;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    left += std::string(i ? ", " : "") + keys[i].text;
    right += std::string(i ? ", $" : "$") + std::to_string(first_param + static_cast<int>(i));
  }
  const std::string op = keys.front().descending ? " < " : " > ";
  const std::string condition = keys.size() == 1 ? left + op + right : std::string("(") + left + std::string(")") + op + std::string("(") + right + ")";

  std::vector<Edit> edits;
  const std::size_t offset_end = clauses.next_after(*clauses.offset);
  edits.push_back({tokens[*clauses.offset].begin, offset_end < tokens.size() ? tokens[offset_end].begin
                                                                               : tokens[offset_end - 1].end,
                   ""});
  if (clauses.where) {
    const std::size_t where_end = clauses.next_after(*clauses.where);
    edits.push_back({tokens[*clauses.where + 1].begin, tokens[*clauses.where + 1].begin, "("});
    edits.push_back({tokens[where_end - 1].end, tokens[where_end - 1].end, std::string(") AND ") + condition});
  } else {
    const std::size_t from_end = clauses.next_after(*clauses.from);
    edits.push_back({tokens[from_end - 1].end, tokens[from_end - 1].end, std::string(" WHERE ") + condition});
  }
  return apply_edits(statement, edits);
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (context.shape == nullptr)
    return {};
  const parser::QueryShape& shape = *context.shape;
  if (!(shape.offset_is_param || (shape.offset && *shape.offset >= min_offset)))
    return {};
  bool any_large = false;
  for (std::size_t t = 0; t < shape.tables.size(); ++t)
    if (shape.tables[t].select_level == 0)
      any_large = any_large || worth_flagging(table_size(context, settings, t));
  if (!any_large)
    return {};

  std::string relation;
  for (std::size_t t = 0; t < shape.tables.size() && relation.empty(); ++t)
    if (shape.tables[t].select_level == 0)
      relation = relation_of(context, t);
  auto finding = make_finding("offset_pagination",
                              shape.offset ? std::string("OFFSET ") + std::to_string(*shape.offset) + " reads and discards that many rows"
                                           : "OFFSET pagination: every page reads all earlier rows",
                              "OFFSET clause", relation);
  if (shape.offset)
    finding.evidence.push_back({"rows_skipped", static_cast<double>(*shape.offset), "rows"});
  if (shape.limit)
    finding.evidence.push_back({"rows_returned", static_cast<double>(*shape.limit), "rows"});
  finding.advice = "Use keyset pagination: remember the last row's ORDER BY key and ask for the rows after it "
                   "(WHERE key > $last ORDER BY key LIMIT n). Each page then costs the same, whatever its number, "
                   "with an index on the key. The ordering must be unique (add the primary key as a tie-breaker).";

  auto statement = statement_of(context);
  const json* select = statement ? statement->select() : nullptr;
  if (select != nullptr)
    if (auto keys = plain_sort_keys(*statement, *select, shape); keys && unique_ordering(*keys, context))
      finding.rewritten_sql = keyset_rewrite(*statement, *select, *keys);
  if (!finding.rewritten_sql.empty())
    finding.advice += " In the rewrite, the new parameter(s) carry the previous page's last key.";
  return {finding};
}

}  // namespace

Rule offset_pagination()
{
  return Rule{"offset_pagination", "Large OFFSET instead of keyset pagination", false, false, run};
}

}  // namespace heuristics::rewrites
