#include "heuristics/rewrites/implicit_cast_on_column.hpp"

#include <set>

#include "heuristics/rewrites/rewrite_support.hpp"
#include "heuristics/rewrites/statement.hpp"
#include "heuristics/rewrites/wrapped_comparison.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

const std::set<std::string> integer_types = {"smallint", "integer", "bigint"};
const std::set<std::string> wider_types = {"numeric", "decimal", "float4", "float8", "real", "double precision"};

struct Cast {
  const json* column_ref = nullptr;  //!< the column node
  const json* replaced = nullptr;    //!< the node whose text is replaced
  const json* kept = nullptr;        //!< the node whose text replaces it
  std::string qualifier;
  std::string column;
  std::string cast_type;
  bool on_parameter = false;  //!< the parameter was cast (a wider type), not the column
};

std::string last_type_name(const json& cast)
{
  const json& names = child(child(cast, "typeName"), "names");
  if (!names.is_array() || names.empty() || !child(child(names.back(), "String"), "sval").is_string())
    return {};
  return names.back()["String"]["sval"].get<std::string>();
}

// `col = $1::numeric` (either order): the cast parameter and the bare column.
std::vector<Cast> wide_parameter_casts(const json& stmt)
{
  std::vector<Cast> found;
  visit_nodes(stmt, [&](const std::string& type, const json& body) {
    if (type != "A_Expr" || body.value("kind", std::string()) != "AEXPR_OP")
      return;
    for (int side = 0; side < 2; ++side) {
      const json& column = child(body, side == 0 ? "lexpr" : "rexpr");
      const json& other = child(body, side == 0 ? "rexpr" : "lexpr");
      const json* ref = node_of(column, "ColumnRef");
      const json* cast = node_of(other, "TypeCast");
      if (ref == nullptr || cast == nullptr || node_of(child(*cast, "arg"), "ParamRef") == nullptr)
        continue;
      auto parts = column_ref_parts(*ref);
      const std::string cast_type = last_type_name(*cast);
      if (!parts || wider_types.count(cast_type) == 0)
        continue;
      found.push_back({&column, &other, &child(*cast, "arg"), parts->first, parts->second, cast_type, true});
    }
  });
  return found;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  auto statement = statement_of(context);
  if (!statement)
    return {};
  std::vector<Cast> casts;
  for (const WrappedComparison& match : wrapped_comparisons(statement->stmt))
    if (match.wrapper == "cast" && match.compared_to_param)
      casts.push_back({match.column_ref, match.wrapped, match.column_ref, match.qualifier, match.column,
                       match.cast_type, false});
  for (const Cast& cast : wide_parameter_casts(statement->stmt))
    casts.push_back(cast);

  std::vector<model::Finding> findings;
  for (const Cast& cast : casts) {
    auto table = table_for_qualifier(*context.shape, cast.qualifier);
    if (!table || !worth_flagging(table_size(context, settings, *table)))
      continue;
    const model::TableInfo* info = catalog_table(context, *table);
    const model::ColumnStats* column = info != nullptr ? info->column(cast.column) : nullptr;
    // With a catalog: only an indexed column loses something, and a parameter cast only
    // converts the column when the column is an integer.
    if (info != nullptr && (column == nullptr || !column_leads_index(*info, cast.column)))
      continue;
    if (cast.on_parameter && (column == nullptr || integer_types.count(column->type) == 0))
      continue;

    auto replaced = expression_span(*statement, *cast.replaced);
    auto kept = expression_span(*statement, *cast.kept, false);
    const std::string relation = relation_of(context, *table);
    auto finding = make_finding("implicit_cast_on_column",
                                cast.on_parameter ? std::string("Column ") + cast.column + std::string(" is converted to ") + cast.cast_type +
                                                      " to match the parameter: its index is unusable"
                                                  : std::string("Column ") + cast.column + std::string(" is cast to ") + cast.cast_type +
                                                      " to match a parameter: its index is unusable",
                                std::string("WHERE clause: ") + cast.column + std::string(" compared with a ") + cast.cast_type + " parameter",
                                relation);
    if (auto rows = table_rows(context, *table))
      finding.evidence.push_back({"table_rows", *rows, "rows"});
    finding.evidence.push_back({"column_indexed", info != nullptr ? 1.0 : 0.0, "bool"});
    finding.advice = "Compare the bare column with a parameter of the column's own type" +
                     std::string(column != nullptr ? std::string(" (") + column->type + ")" : "") +
                     ": bind the value with that type in the driver, or cast the parameter, never the column.";
    if (replaced && kept)
      finding.rewritten_sql =
        apply_edits(*statement, {{replaced->first, replaced->second, statement->text(kept->first, kept->second)}});
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule implicit_cast_on_column()
{
  return Rule{"implicit_cast_on_column", "Column cast to a parameter's type", false, false, run};
}

}  // namespace heuristics::rewrites
