#include "heuristics/rewrites/wrapped_comparison.hpp"

#include "heuristics/rewrites/statement.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

bool is_comparison(const std::string& op)
{
  return op == "=" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

bool is_value(const json& node, bool& is_param)
{
  const json* body = &node;
  if (const json* cast = node_of(node, "TypeCast"))
    body = &child(*cast, "arg");
  is_param = node_of(*body, "ParamRef") != nullptr;
  return is_param || node_of(*body, "A_Const") != nullptr;
}

// The wrapped side: a function of exactly one column (other arguments constants), or a cast of
// a column.
bool wrapped_column(const json& node, WrappedComparison& out)
{
  if (const json* cast = node_of(node, "TypeCast")) {
    const json& arg = child(*cast, "arg");
    if (node_of(arg, "ColumnRef") == nullptr)
      return false;
    out.wrapper = "cast";
    out.column_ref = &arg;
    const json& names = child(child(*cast, "typeName"), "names");
    if (names.is_array() && !names.empty())
      out.cast_type = child(child(names.back(), "String"), "sval").is_string()
                        ? names.back()["String"]["sval"].get<std::string>()
                        : std::string();
    return true;
  }
  const json* call = node_of(node, "FuncCall");
  if (call == nullptr || call->contains("over") || call->value("agg_star", false))
    return false;
  const json* column = nullptr;
  for (const auto& arg : child(*call, "args")) {
    if (node_of(arg, "ColumnRef") != nullptr) {
      if (column != nullptr)
        return false;
      column = &arg;
    } else if (string_constant(arg) == std::nullopt && node_of(arg, "A_Const") == nullptr) {
      return false;
    }
  }
  if (column == nullptr)
    return false;
  out.wrapper = function_name(*call);
  out.column_ref = column;
  return true;
}

}  // namespace

std::vector<WrappedComparison> wrapped_comparisons(const json& stmt)
{
  std::vector<WrappedComparison> found;
  visit_nodes(stmt, [&](const std::string& type, const json& body) {
    if (type != "A_Expr" || body.value("kind", std::string()) != "AEXPR_OP")
      return;
    const json& names = child(body, "name");
    if (!names.is_array() || names.size() != 1 || !child(child(names[0], "String"), "sval").is_string())
      return;
    const std::string op = names[0]["String"]["sval"].get<std::string>();
    if (!is_comparison(op))
      return;
    for (int side = 0; side < 2; ++side) {
      const json& wrapped = child(body, side == 0 ? "lexpr" : "rexpr");
      const json& other = child(body, side == 0 ? "rexpr" : "lexpr");
      WrappedComparison match;
      bool param = false;
      if (!wrapped_column(wrapped, match) || !is_value(other, param))
        continue;
      auto parts = column_ref_parts(*node_of(*match.column_ref, "ColumnRef"));
      if (!parts)
        continue;
      match.expr = &body;
      match.wrapped = &wrapped;
      match.other = &other;
      match.op = op;
      match.qualifier = parts->first;
      match.column = parts->second;
      match.compared_to_param = param;
      found.push_back(std::move(match));
      break;
    }
  });
  return found;
}

std::optional<std::size_t> table_for_qualifier(const parser::QueryShape& shape, const std::string& qualifier)
{
  int deepest = 0;
  for (const auto& table : shape.tables)
    deepest = std::max(deepest, table.select_level);
  for (int level = 0; level <= deepest; ++level)
    if (auto table = shape_table(shape, qualifier, level))
      return table;
  return std::nullopt;
}

}  // namespace heuristics::rewrites
