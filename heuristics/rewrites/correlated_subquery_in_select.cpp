#include "heuristics/rewrites/correlated_subquery_in_select.hpp"

#include <set>

#include "heuristics/rewrites/rewrite_support.hpp"
#include "heuristics/rewrites/statement.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

bool is_equals(const json& a_expr)
{
  const json& names = child(a_expr, "name");
  return names.is_array() && names.size() == 1 && child(child(names[0], "String"), "sval") == json("=");
}

const std::set<std::string> decorrelatable = {"count", "sum", "min", "max", "avg"};

std::string range_name(const json& range)
{
  const json& alias = child(range, "alias");
  return alias.is_object() ? alias.value("aliasname", std::string()) : range.value("relname", std::string());
}

struct Subquery {
  const json* target = nullptr;   //!< ResTarget body
  const json* sublink = nullptr;  //!< SubLink body
  const json* select = nullptr;   //!< its SelectStmt body
  std::string inner;              //!< the inner table's alias or name
  std::set<std::string> outer_refs;  //!< outer names it refers to
};

// `(SELECT agg(…) FROM b [alias] WHERE b.k = a.k [AND b-only conditions])` → a LEFT JOIN of the
// aggregate grouped by b.k. Returns {replacement of the sublink, the join text}; empty when the
// subquery has another form.
std::pair<std::string, std::string> decorrelate(const Statement& statement, const Subquery& sub,
                                                const std::set<std::string>& outer_names, int number)
{
  const json& select = *sub.select;
  for (const char* key : {"groupClause", "havingClause", "sortClause", "limitCount", "limitOffset", "distinctClause",
                          "withClause", "windowClause"})
    if (select.contains(key))
      return {};
  const json& targets = child(select, "targetList");
  if (!targets.is_array() || targets.size() != 1)
    return {};
  const json& agg_node = child(child(targets[0], "ResTarget"), "val");
  const json* agg = node_of(agg_node, "FuncCall");
  if (agg == nullptr || decorrelatable.count(function_name(*agg)) == 0 || agg->contains("over") ||
      agg->contains("agg_filter") || agg->contains("agg_order"))
    return {};
  for (const auto& q : column_qualifiers(agg_node))
    if (outer_names.count(q) != 0 && q != sub.inner)
      return {};

  // Split the WHERE into the correlation `inner.k = outer.k` and inner-only conditions.
  const auto& tokens = statement.tokens;
  auto open = statement.token_at(child(*sub.sublink, "location"));
  auto close = open ? closing_paren(tokens, *open) : std::nullopt;
  if (!close)
    return {};
  const int depth = tokens[*open].depth + 1;
  auto from_word = find_word(tokens, "FROM", depth, *open, *close);
  auto where_word = find_word(tokens, "WHERE", depth, *open, *close);
  if (!from_word || !where_word || *where_word <= *from_word + 1)
    return {};
  auto args = bool_args(child(select, "whereClause"), "AND_EXPR");
  auto pieces = split_at_word(statement, *where_word + 1, *close, "AND", depth);
  if (pieces.size() != args.size())
    return {};
  std::string inner_key, outer_key, others;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const json* expr = node_of(*args[i], "A_Expr");
    if (expr != nullptr && inner_key.empty() && expr->value("kind", std::string()) == "AEXPR_OP" &&
        is_equals(*expr)) {
      const json* l = node_of(child(*expr, "lexpr"), "ColumnRef");
      const json* r = node_of(child(*expr, "rexpr"), "ColumnRef");
      auto lp = l ? column_ref_parts(*l) : std::nullopt;
      auto rp = r ? column_ref_parts(*r) : std::nullopt;
      if (lp && rp) {
        if (lp->first == sub.inner && outer_names.count(rp->first) != 0 && rp->first != sub.inner) {
          auto ls = expression_span(statement, child(*expr, "lexpr"));
          auto rs = expression_span(statement, child(*expr, "rexpr"));
          inner_key = statement.text(ls->first, ls->second);
          outer_key = statement.text(rs->first, rs->second);
          continue;
        }
        if (rp->first == sub.inner && outer_names.count(lp->first) != 0 && lp->first != sub.inner) {
          auto ls = expression_span(statement, child(*expr, "lexpr"));
          auto rs = expression_span(statement, child(*expr, "rexpr"));
          inner_key = statement.text(rs->first, rs->second);
          outer_key = statement.text(ls->first, ls->second);
          continue;
        }
      }
    }
    for (const auto& q : column_qualifiers(*args[i]))
      if (q != sub.inner && !q.empty())
        return {};
    if (args[i]->contains("SubLink"))
      return {};
    others += std::string(others.empty() ? "" : " AND ") + statement.text(pieces[i].first, pieces[i].second);
  }
  if (inner_key.empty())
    return {};
  auto agg_span = expression_span(statement, agg_node);
  if (!agg_span)
    return {};
  const std::string alias = std::string("cs_") + std::to_string(number);
  const bool count = function_name(*agg) == "count";
  std::string value = count ? std::string("COALESCE(") + alias + ".value_, 0)" : alias + ".value_";
  if (!sub.target->contains("name"))
    value += std::string(" AS ") + function_name(*agg);
  std::string join = std::string(" LEFT JOIN (SELECT ") + inner_key + std::string(" AS key_, ") + statement.text(agg_span->first, agg_span->second) +
                     std::string(" AS value_ FROM ") + statement.text(tokens[*from_word + 1].begin, tokens[*where_word - 1].end) +
                     (others.empty() ? "" : std::string(" WHERE ") + others) + std::string(" GROUP BY ") + inner_key + std::string(") AS ") + alias + " ON " +
                     alias + std::string(".key_ = ") + outer_key;
  return {value, join};
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  auto statement = statement_of(context);
  const json* select = statement ? statement->select() : nullptr;
  if (select == nullptr)
    return {};
  std::set<std::string> outer_names;
  std::optional<std::size_t> outer_table;
  for (std::size_t t = 0; t < context.shape->tables.size(); ++t) {
    const auto& table = context.shape->tables[t];
    if (table.select_level != 0)
      continue;
    outer_names.insert(table.alias.empty() ? table.name : table.alias);
    if (!outer_table || worth_flagging(table_size(context, settings, t)))
      outer_table = t;
  }
  if (!outer_table || !worth_flagging(table_size(context, settings, *outer_table)))
    return {};

  std::vector<Subquery> subqueries;
  for (const auto& item : child(*select, "targetList")) {
    Subquery sub;
    sub.target = node_of(item, "ResTarget");
    sub.sublink = sub.target ? node_of(child(*sub.target, "val"), "SubLink") : nullptr;
    if (sub.sublink == nullptr || sub.sublink->value("subLinkType", std::string()) != "EXPR_SUBLINK")
      continue;
    sub.select = node_of(child(*sub.sublink, "subselect"), "SelectStmt");
    if (sub.select == nullptr)
      continue;
    const json& from = child(*sub.select, "fromClause");
    if (from.is_array() && from.size() == 1 && node_of(from[0], "RangeVar") != nullptr)
      sub.inner = range_name(*node_of(from[0], "RangeVar"));
    for (const char* clause : {"whereClause", "targetList"})
      for (const auto& q : column_qualifiers(child(*sub.select, clause)))
        if (outer_names.count(q) != 0 && q != sub.inner)
          sub.outer_refs.insert(q);
    if (!sub.outer_refs.empty())
      subqueries.push_back(sub);
  }
  if (subqueries.empty())
    return {};

  // One rewrite for all of them, when every one decorrelates.
  std::vector<Edit> edits;
  std::string joins;
  const json& outer_from = child(*select, "fromClause");
  auto clauses = select_clauses(*statement);
  bool mechanical = outer_from.is_array() && outer_from.size() == 1 && clauses.from && !select->contains("withClause");
  for (std::size_t i = 0; i < subqueries.size() && mechanical; ++i) {
    auto [value, join] = decorrelate(*statement, subqueries[i], outer_names, static_cast<int>(i + 1));
    auto open = statement->token_at(child(*subqueries[i].sublink, "location"));
    auto close = open ? closing_paren(statement->tokens, *open) : std::nullopt;
    mechanical = !join.empty() && close.has_value();
    if (mechanical) {
      edits.push_back({statement->tokens[*open].begin, statement->tokens[*close].end, value});
      joins += join;
    }
  }
  std::string rewritten;
  if (mechanical) {
    const std::size_t from_end = clauses.next_after(*clauses.from);
    const std::size_t at = statement->tokens[from_end - 1].end;
    edits.push_back({at, at, joins});
    rewritten = apply_edits(*statement, edits);
  }

  std::vector<model::Finding> findings;
  for (const Subquery& sub : subqueries) {
    auto finding = make_finding("correlated_subquery_in_select",
                                "Correlated subquery in the SELECT list runs once per row",
                                std::string("SELECT list: subquery on ") + (sub.inner.empty() ? std::string("a subquery") : sub.inner),
                                relation_of(context, *outer_table));
    if (auto rows = table_rows(context, *outer_table))
      finding.evidence.push_back({"outer_rows", *rows, "rows"});
    finding.evidence.push_back({"correlated_subqueries", static_cast<double>(subqueries.size()), "count"});
    finding.advice = "Compute it for all rows at once: join the subquery's table grouped by the correlation key "
                     "(LEFT JOIN (SELECT key, agg(…) … GROUP BY key)), or move it to a LEFT JOIN LATERAL "
                     "(…) ON true when it must stay per row (e.g. with ORDER BY … LIMIT 1).";
    finding.rewritten_sql = rewritten;
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule correlated_subquery_in_select()
{
  return Rule{"correlated_subquery_in_select", "Correlated subquery in the SELECT list", false, false, run};
}

}  // namespace heuristics::rewrites
