#include "parser/shape_text.hpp"

#include <algorithm>
#include <cctype>

namespace parser::detail {

namespace {

std::string quoted(std::string_view s)
{
  std::string out = "'";
  for (char c : s) {
    out.push_back(c);
    if (c == '\'')
      out.push_back('\'');
  }
  out.push_back('\'');
  return out;
}

std::string join_names(json::Ref names, bool drop_catalog)
{
  std::string out;
  for (auto part : names) {
    auto name = part["String"]["sval"].str();
    if (drop_catalog && out.empty() && name == "pg_catalog")
      continue;
    if (!out.empty())
      out += '.';
    out += name;
  }
  return out;
}

bool needs_parens(json::Ref node)
{
  auto type = node.first().key();
  return type == "A_Expr" || type == "BoolExpr";
}

std::string operand(json::Ref node)
{
  auto text = expression_text(node);
  return needs_parens(node) ? "(" + text + ")" : text;
}

std::string list_text(json::Ref items)
{
  std::string out;
  for (auto item : items) {
    if (!out.empty())
      out += ", ";
    out += expression_text(item);
  }
  return out;
}

}  // namespace

std::string constant_text(json::Ref c)
{
  if (c["isnull"].boolean())
    return "NULL";
  if (auto v = c["ival"])
    return std::to_string(v["ival"].integer());
  if (auto v = c["fval"])
    return std::string(v["fval"].str());
  if (auto v = c["sval"])
    return std::string(v["sval"].str());
  if (auto v = c["boolval"])
    return v["boolval"].boolean() ? "true" : "false";
  if (auto v = c["bsval"])
    return std::string(v["bsval"].str());
  return {};
}

std::string type_name_text(json::Ref type_name)
{
  std::string out = join_names(type_name["names"], true);
  if (type_name["arrayBounds"])
    out += "[]";
  return out;
}

std::string last_name(json::Ref names)
{
  std::string out;
  for (auto part : names)
    out = part["String"]["sval"].str();
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string expression_text(json::Ref node)
{
  auto wrapper = node.first();
  auto type = wrapper.key();
  auto body = wrapper;
  if (type == "ColumnRef") {
    auto fields = body["fields"];
    std::string last;
    for (auto field : fields)
      last = field.first().key() == "A_Star" ? std::string("*") : std::string(field["String"]["sval"].str());
    return last;
  }
  if (type == "A_Const") {
    if (body["sval"])
      return quoted(body["sval"]["sval"].str());
    return constant_text(body);
  }
  if (type == "ParamRef")
    return std::string("$").append(std::to_string(body["number"].integer()));
  if (type == "FuncCall") {
    std::string out = join_names(body["funcname"], true) + "(";
    if (body["agg_star"].boolean())
      out += "*";
    else {
      if (body["agg_distinct"].boolean())
        out += "DISTINCT ";
      out += list_text(body["args"]);
    }
    return out + ")";
  }
  if (type == "TypeCast")
    return operand(body["arg"]) + "::" + type_name_text(body["typeName"]);
  if (type == "CoalesceExpr")
    return "coalesce(" + list_text(body["args"]) + ")";
  if (type == "A_Expr" && body["kind"].str() == "AEXPR_OP") {
    std::string op = join_names(body["name"], false);
    if (!body["lexpr"])
      return op + " " + operand(body["rexpr"]);
    return operand(body["lexpr"]) + " " + op + " " + operand(body["rexpr"]);
  }
  if (type == "List")
    return "(" + list_text(body["items"]) + ")";
  if (type == "A_ArrayExpr" || type == "ArrayExpr")
    return "ARRAY[" + list_text(body["elements"]) + "]";
  return "?";
}

}  // namespace parser::detail
