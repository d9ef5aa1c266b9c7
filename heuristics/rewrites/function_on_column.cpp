#include "heuristics/rewrites/function_on_column.hpp"

#include <regex>

#include "heuristics/rewrites/rewrite_support.hpp"
#include "heuristics/rewrites/statement.hpp"
#include "heuristics/rewrites/wrapped_comparison.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

bool has_expression_index(const model::TableInfo& table, const WrappedComparison& match)
{
  const std::string marker = match.wrapper == "cast" ? std::string("::") + match.cast_type : match.wrapper + "(";
  for (const auto& index : table.indexes)
    for (std::size_t i = 0; i < index.columns.size(); ++i)
      if (i < index.is_expression.size() && index.is_expression[i] &&
          index.columns[i].find(marker) != std::string::npos && index.columns[i].find(match.column) != std::string::npos)
        return true;
  return false;
}

// The day a comparison selects: 'YYYY-MM-DD' (or that day at midnight) compared for equality
// through ::date or date_trunc('day', …). nullopt when the rewrite would not be equivalent.
std::optional<std::string> compared_day(const WrappedComparison& match)
{
  if (match.op != "=" || match.compared_to_param)
    return std::nullopt;
  if (match.wrapper == "cast" ? match.cast_type != "date" : match.wrapper != "date_trunc")
    return std::nullopt;
  if (match.wrapper == "date_trunc") {
    const json& args = child(*node_of(*match.wrapped, "FuncCall"), "args");
    if (!args.is_array() || args.size() != 2 || string_constant(args[0]) != std::optional<std::string>("day"))
      return std::nullopt;
  }
  auto value = string_constant(*match.other);
  static const std::regex day(R"(^(\d{4}-\d{2}-\d{2})( 00:00(:00)?)?$)");
  std::smatch parts;
  if (!value || !std::regex_match(*value, parts, day))
    return std::nullopt;
  return parts[1].str();
}

std::string range_rewrite(const Statement& statement, const WrappedComparison& match, const std::string& day)
{
  auto whole = expression_span(statement, *match.expr);
  auto column = expression_span(statement, *match.column_ref, false);
  if (!whole || !column)
    return {};
  const std::string col = statement.text(column->first, column->second);
  const std::string bound = std::string("'") + day + "'::date";
  return apply_edits(statement, {{whole->first, whole->second,
                                  std::string("(") + col + std::string(" >= ") + bound + std::string(" AND ") + col + std::string(" < ") + bound + " + 1)"}});
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  auto statement = statement_of(context);
  if (!statement)
    return {};
  std::vector<model::Finding> findings;
  for (const WrappedComparison& match : wrapped_comparisons(statement->stmt)) {
    // A cast compared with a parameter is implicit_cast_on_column's case.
    if (match.wrapper == "cast" && match.compared_to_param)
      continue;
    auto table = table_for_qualifier(*context.shape, match.qualifier);
    if (!table || !worth_flagging(table_size(context, settings, *table)))
      continue;
    const model::TableInfo* info = catalog_table(context, *table);
    if (info != nullptr && (info->column(match.column) == nullptr || has_expression_index(*info, match)))
      continue;

    auto wrapped_span = expression_span(*statement, *match.wrapped);
    const std::string wrapped_text =
      wrapped_span ? statement->text(wrapped_span->first, wrapped_span->second) : match.wrapper + std::string("(") + match.column + ")";
    const std::string relation = relation_of(context, *table);
    auto finding = make_finding("function_on_column",
                                std::string("Filter on ") + wrapped_text + std::string(": the index on ") + match.column + " cannot serve it",
                                std::string("WHERE clause: ") + wrapped_text + std::string(" ") + match.op + " …", relation);
    if (auto rows = table_rows(context, *table))
      finding.evidence.push_back({"table_rows", *rows, "rows"});
    finding.evidence.push_back({"column_indexed", info != nullptr && column_leads_index(*info, match.column) ? 1.0 : 0.0,
                                "bool"});
    finding.advice = "Compare the bare column instead (a sargable range such as col >= x AND col < y), or index the "
                     "expression itself: CREATE INDEX ON " + relation + std::string(" ((") + wrapped_text + ")).";
    if (auto day = compared_day(match)) {
      finding.rewritten_sql = range_rewrite(*statement, match, *day);
      finding.advice = std::string("Compare the bare column with the day's range [day, day + 1): an index on ") + match.column +
                       std::string(" serves it. Or index the expression: CREATE INDEX ON ") + relation + std::string(" ((") + wrapped_text + ")).";
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule function_on_column()
{
  return Rule{"function_on_column", "Function or cast on a filtered column", false, false, run};
}

}  // namespace heuristics::rewrites
