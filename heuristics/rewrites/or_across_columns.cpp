#include "heuristics/rewrites/or_across_columns.hpp"

#include <set>
#include <tuple>

#include "heuristics/rewrites/rewrite_support.hpp"
#include "heuristics/rewrites/statement.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

const std::set<std::string> aggregates = {"count", "sum", "avg", "min", "max", "array_agg", "string_agg",
                                          "bool_and", "bool_or", "every", "json_agg", "jsonb_agg",
                                          "json_object_agg", "jsonb_object_agg", "stddev", "variance"};

bool union_is_mechanical(const json& select)
{
  for (const char* key : {"distinctClause", "groupClause", "havingClause", "sortClause", "limitCount", "limitOffset",
                          "windowClause", "lockingClause", "intoClause", "withClause"})
    if (select.contains(key))
      return false;
  bool aggregate = false;
  visit_nodes(child(select, "targetList"), [&](const std::string& type, const json& body) {
    if (type == "FuncCall" && (body.contains("over") || body.value("agg_star", false)))
      aggregate = true;
    if (type == "FuncCall" && aggregates.count(function_name(body)) != 0)
      aggregate = true;
    if (type == "SubLink")
      aggregate = true;  // a scalar subquery per branch is fine, but keep the rewrite simple
  });
  return !aggregate;
}

std::optional<std::size_t> token_ending_at(const Statement& statement, std::size_t end)
{
  for (std::size_t i = 0; i < statement.tokens.size(); ++i)
    if (statement.tokens[i].end == end)
      return i;
  return std::nullopt;
}

// SELECT … WHERE <rest> AND (<d1> OR <d2>) → SELECT … WHERE <rest> AND (<d1>) UNION ALL SELECT …
// WHERE <rest> AND (<d2>) AND (<d1>) IS NOT TRUE: the same rows, each once, and every branch can
// use its own index.
std::string union_rewrite(const Statement& statement, const json& select, std::size_t or_conjunct,
                          std::size_t conjunct_count, std::size_t disjunct_count)
{
  if (!union_is_mechanical(select))
    return {};
  auto clauses = select_clauses(statement);
  if (!clauses.where)
    return {};
  const std::size_t from = *clauses.where + 1;
  const std::size_t to = clauses.next_after(*clauses.where);
  if (to != clauses.end)
    return {};
  auto conjuncts = split_at_word(statement, from, to, "AND", 0);
  if (conjuncts.size() != conjunct_count)
    return {};
  std::vector<std::pair<std::size_t, std::size_t>> disjuncts;
  if (conjunct_count == 1) {
    disjuncts = split_at_word(statement, from, to, "OR", 0);
  } else {
    auto first = token_starting_at(statement.tokens, conjuncts[or_conjunct].first);
    auto last = token_ending_at(statement, conjuncts[or_conjunct].second);
    if (!first || !last || statement.tokens[*first].upper != "(" || closing_paren(statement.tokens, *first) != last)
      return {};
    disjuncts = split_at_word(statement, *first + 1, *last, "OR", statement.tokens[*first].depth + 1);
  }
  if (disjuncts.size() != disjunct_count)
    return {};

  const std::string head = statement.text(statement.begin, statement.tokens[*clauses.where].begin);
  std::string out;
  for (std::size_t i = 0; i < disjuncts.size(); ++i) {
    std::string condition;
    for (std::size_t c = 0; c < conjuncts.size(); ++c)
      if (c != or_conjunct)
        condition += statement.text(conjuncts[c].first, conjuncts[c].second) + " AND ";
    condition += std::string("(") + statement.text(disjuncts[i].first, disjuncts[i].second) + ")";
    for (std::size_t j = 0; j < i; ++j)
      condition += std::string(" AND (") + statement.text(disjuncts[j].first, disjuncts[j].second) + ") IS NOT TRUE";
    if (i > 0)
      out += "\nUNION ALL\n";
    out += head + std::string("WHERE ") + condition;
  }
  return out;
}

struct ColumnKey {
  std::optional<std::size_t> table;
  std::string column;
  bool operator<(const ColumnKey& other) const
  {
    return std::tie(table, column) < std::tie(other.table, other.column);
  }
};

std::set<ColumnKey> columns_of(const json& node, const parser::QueryShape& shape)
{
  std::set<ColumnKey> out;
  visit_nodes(node, [&](const std::string& type, const json& body) {
    if (type != "ColumnRef")
      return;
    if (auto parts = column_ref_parts(body))
      out.insert({shape_table(shape, parts->first, 0), parts->second});
  });
  return out;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  auto statement = statement_of(context);
  const json* select = statement ? statement->select() : nullptr;
  if (select == nullptr || !select->contains("whereClause"))
    return {};
  std::vector<model::Finding> findings;
  auto conjuncts = bool_args((*select)["whereClause"], "AND_EXPR");
  for (std::size_t k = 0; k < conjuncts.size(); ++k) {
    auto disjuncts = bool_args(*conjuncts[k], "OR_EXPR");
    if (disjuncts.size() < 2)
      continue;
    std::vector<std::set<ColumnKey>> per_branch;
    std::set<ColumnKey> all;
    for (const json* disjunct : disjuncts) {
      per_branch.push_back(columns_of(*disjunct, *context.shape));
      all.insert(per_branch.back().begin(), per_branch.back().end());
    }
    bool shared = false;  // a column every branch filters on: one index on it serves the OR
    for (const ColumnKey& key : all) {
      bool everywhere = true;
      for (const auto& branch : per_branch)
        everywhere = everywhere && branch.count(key) != 0;
      shared = shared || everywhere;
    }
    if (shared || all.size() < 2)
      continue;
    std::set<std::size_t> tables;
    for (const ColumnKey& key : all)
      if (key.table)
        tables.insert(*key.table);
    if (tables.empty())
      continue;
    bool any_large = false;
    bool all_indexed = true;
    for (std::size_t table : tables) {
      any_large = any_large || worth_flagging(table_size(context, settings, table));
      const model::TableInfo* info = catalog_table(context, table);
      for (const ColumnKey& key : all)
        if (key.table == table && (info == nullptr || !column_leads_index(*info, key.column)))
          all_indexed = false;
    }
    const bool across_tables = tables.size() > 1;
    if (!any_large || (!across_tables && all_indexed))
      continue;

    auto finding = make_finding("or_across_columns",
                                across_tables ? "OR across the tables of a join: no index can serve it"
                                              : "OR across columns without an index on each",
                                std::string("WHERE clause: OR over ") + std::to_string(all.size()) + " columns",
                                relation_of(context, *tables.begin()));
    finding.evidence = {{"or_branches", static_cast<double>(disjuncts.size()), "count"},
                        {"columns", static_cast<double>(all.size()), "count"},
                        {"tables", static_cast<double>(tables.size()), "count"}};
    if (auto rows = table_rows(context, *tables.begin()))
      finding.evidence.push_back({"table_rows", *rows, "rows"});
    if (across_tables) {
      finding.advice = "Split the OR into one SELECT per branch joined with UNION ALL (each later branch "
                       "excluding the earlier ones' rows with IS NOT TRUE): each branch can then use the index "
                       "on its own column instead of joining everything and filtering.";
      finding.rewritten_sql = union_rewrite(*statement, *select, k, conjuncts.size(), disjuncts.size());
    } else {
      finding.advice = "Give each column of the OR its own index: PostgreSQL combines them with a BitmapOr. "
                       "Or split the query into a UNION ALL of one SELECT per branch.";
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule or_across_columns()
{
  return Rule{"or_across_columns", "OR across different columns", false, false, run};
}

}  // namespace heuristics::rewrites
