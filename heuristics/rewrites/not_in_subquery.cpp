#include "heuristics/rewrites/not_in_subquery.hpp"

#include "heuristics/rewrites/rewrite_support.hpp"
#include "heuristics/rewrites/statement.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

// `<x> NOT IN (<subquery>)` → `NOT EXISTS (SELECT 1 FROM (<subquery>) AS not_in_sub(not_in_value)
// WHERE not_in_sub.not_in_value = <x>)`. The derived table keeps the subquery verbatim (its own
// scope, its correlations); PostgreSQL pulls it up into an anti-join.
std::string rewrite(const Statement& statement, const json& sublink)
{
  if (!sublink.contains("testexpr") || node_of(child(sublink, "testexpr"), "RowExpr") != nullptr)
    return {};
  auto test = expression_span(statement, child(sublink, "testexpr"));
  auto op = statement.token_at(sublink.value("location", json(-1)));
  if (!test || !op)
    return {};
  const auto& tokens = statement.tokens;
  std::size_t i = *op;
  if (i + 2 >= tokens.size() || tokens[i].upper != "NOT" || tokens[i + 1].upper != "IN" || tokens[i + 2].upper != "(")
    return {};
  auto close = closing_paren(tokens, i + 2);
  if (!close || *close == i + 3)
    return {};
  const std::string subquery = statement.text(tokens[i + 3].begin, tokens[*close - 1].end);
  const std::string tested = statement.text(test->first, test->second);
  Edit edit{test->first, tokens[*close].end,
            std::string("NOT EXISTS (SELECT 1 FROM (") + subquery +
              std::string(") AS not_in_sub(not_in_value) WHERE not_in_sub.not_in_value = ") + tested + ")"};
  return apply_edits(statement, {edit});
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  auto statement = statement_of(context);
  if (!statement)
    return {};
  std::vector<model::Finding> findings;
  visit_nodes(statement->stmt, [&](const std::string& type, const json& body) {
    if (type != "BoolExpr" || body.value("boolop", std::string()) != "NOT_EXPR" || !body.contains("args") ||
        body["args"].size() != 1)
      return;
    const json* sublink = node_of(body["args"][0], "SubLink");
    if (sublink == nullptr || sublink->value("subLinkType", std::string()) != "ANY_SUBLINK")
      return;

    // The subquery's table: its size is evidence, and a small one is no problem.
    std::string inner_name;
    std::optional<std::size_t> inner;
    if (const json* select = node_of(child(*sublink, "subselect"), "SelectStmt"))
      if (select->contains("fromClause") && (*select)["fromClause"].size() == 1)
        if (const json* range = node_of((*select)["fromClause"][0], "RangeVar"))
          inner_name = range->value("relname", std::string());
    for (std::size_t t = 0; t < context.shape->tables.size(); ++t)
      if (context.shape->tables[t].select_level > 0 && context.shape->tables[t].name == inner_name)
        inner = t;
    if (inner && !worth_flagging(table_size(context, settings, *inner)))
      return;

    auto finding = make_finding("not_in_subquery", "NOT IN over a subquery: no anti-join, and NULLs empty the result",
                                "WHERE clause: NOT IN (subquery)", inner ? relation_of(context, *inner) : std::string());
    finding.evidence.push_back({"not_in_subqueries", 1, "count"});
    if (inner)
      if (auto rows = table_rows(context, *inner))
        finding.evidence.push_back({"subquery_table_rows", *rows, "rows"});
    finding.advice =
      "Write NOT EXISTS (SELECT 1 FROM … WHERE inner = outer): PostgreSQL plans it as an anti-join instead of "
      "a subplan that must hold the whole subquery in memory. Mind the NULL semantics: NOT IN returns no row "
      "at all when the subquery yields a NULL (and none for a NULL outer value), NOT EXISTS ignores NULLs; the "
      "two agree when both columns are NOT NULL.";
    finding.rewritten_sql = rewrite(*statement, *sublink);
    findings.push_back(std::move(finding));
  });
  return findings;
}

}  // namespace

Rule not_in_subquery()
{
  return Rule{"not_in_subquery", "NOT IN (subquery) instead of NOT EXISTS", false, false, run};
}

}  // namespace heuristics::rewrites
