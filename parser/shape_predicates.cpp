// Predicates, column references and compared values: the WHERE / ON / HAVING half of the
// shape extraction (see shape_extractor.hpp).

#include <optional>

#include "parser/shape_extractor.hpp"
#include "parser/shape_text.hpp"

namespace parser::detail {

namespace {

bool is_statement(std::string_view type)
{
  return type == "SelectStmt" || type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt"
         || type == "MergeStmt";
}

//! The operator with its operands swapped: `5 < x` is `x > 5`. None when not swappable.
std::optional<std::string> flipped(const std::string& op)
{
  if (op == "<")
    return ">";
  if (op == ">")
    return "<";
  if (op == "<=")
    return ">=";
  if (op == ">=")
    return "<=";
  if (op == "@>")
    return "<@";
  if (op == "<@")
    return "@>";
  if (op == "=" || op == "<>" || op == "&&")
    return op;
  return std::nullopt;
}

bool is_case_insensitive(const std::string& op)
{
  return op == "~~*" || op == "!~~*" || op == "~*" || op == "!~*";
}

//! Finds the ColumnRefs below a node (not inside subqueries), stopping after two.
void find_columns(json::Ref node, json::Ref& found, int& count)
{
  if (count > 1 || !node)
    return;
  for (auto child : node) {
    auto key = child.key();
    if (key == "ColumnRef") {
      found = node;
      ++count;
      continue;
    }
    if (key == "SubLink")
      continue;
    if (child.is_object() || child.is_array())
      find_columns(child, found, count);
  }
}

}  // namespace

void note_read(QueryShape& shape, ColumnUse column)
{
  column.function.clear();
  column.expression.clear();
  for (const auto& known : shape.columns_read)
    if (known.table == column.table && known.column == column.column)
      return;
  shape.columns_read.push_back(std::move(column));
}

void ShapeExtractor::walk(json::Ref node, const Scope& scope)
{
  if (!node || !(node.is_array() || node.is_object()))
    return;
  for (auto child : node) {
    auto key = child.key();
    if (key == "FuncCall") {
      record_function(child);
    } else if (key == "ColumnRef") {
      // A star (t.* or *) reads every column; which table it names does not matter for the
      // covering-index decision, which then gives up on the query.
      auto use = column_ref(child, scope);
      note_read(m_shape, use ? std::move(*use) : ColumnUse{std::nullopt, "*", {}, {}});
      continue;
    } else if (key == "ParamRef") {
      m_shape.params.push_back(ParamUse{static_cast<int>(child["number"].integer()), {}});
      continue;
    } else if (key == "SubLink") {
      sub_link(child, scope, Context{}, false);
      continue;
    } else if (is_statement(key)) {
      any_statement(node, &scope, scope.level + 1, false);
      continue;
    }
    walk(child, scope);
  }
}

void ShapeExtractor::condition(json::Ref node, const Scope& scope, Context ctx)
{
  if (!node)
    return;
  auto body = node.first();
  auto type = body.key();
  if (type == "BoolExpr") {
    auto op = body["boolop"].str();
    if (op == "NOT_EXPR") {
      walk(body["args"], scope);
      return;
    }
    if (op == "OR_EXPR")
      ctx.under_or = true;
    for (auto arg : body["args"])
      condition(arg, scope, ctx);
  } else if (type == "A_Expr") {
    a_expr(body, scope, ctx);
  } else if (type == "NullTest") {
    if (auto column = column_of(body["arg"], scope)) {
      bool is_null = body["nulltesttype"].str() == "IS_NULL";
      add_predicate(std::move(*column), is_null ? PredicateKind::is_null : PredicateKind::is_not_null,
                    is_null ? "IS NULL" : "IS NOT NULL", Operand{}, ctx);
    }
    walk(body["arg"], scope);
  } else if (type == "SubLink") {
    sub_link(body, scope, ctx, true);
  } else if (type == "ColumnRef") {
    // WHERE active: a boolean column compared to true.
    if (auto column = column_ref(body, scope)) {
      note_read(m_shape, *column);
      Operand value;
      value.constant = "true";
      add_predicate(std::move(*column), PredicateKind::equality, "=", value, ctx);
    }
  } else {
    walk(node, scope);
  }
}

void ShapeExtractor::sub_link(json::Ref body, const Scope& scope, Context ctx, bool record)
{
  auto test = body["testexpr"];
  auto column = record && body["subLinkType"].str() == "ANY_SUBLINK" ? column_of(test, scope) : std::nullopt;
  if (column) {
    auto op = last_name(body["operName"]);
    bool equal = op.empty() || op == "=";
    add_predicate(std::move(*column), equal ? PredicateKind::equality : PredicateKind::other,
                  equal ? "IN" : op + " ANY", Operand{}, ctx);
  }
  walk(test, scope);
  any_statement(body["subselect"], &scope, scope.level + 1, false);
}

void ShapeExtractor::a_expr(json::Ref body, const Scope& scope, Context ctx)
{
  auto kind = body["kind"].str();
  if (kind == "AEXPR_OP" || kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE") {
    comparison(body, scope, ctx);
    return;
  }
  auto op = last_name(body["name"]);
  auto lexpr = body["lexpr"];
  auto rexpr = body["rexpr"];
  auto column = column_of(lexpr, scope);
  if (!column) {
    walk(lexpr, scope);
    walk(rexpr, scope);
    return;
  }
  PredicateKind pk = PredicateKind::other;
  std::string text = op;
  if (kind == "AEXPR_OP_ANY") {
    pk = op == "=" ? PredicateKind::equality : PredicateKind::other;
    text = op + " ANY";
  } else if (kind == "AEXPR_OP_ALL") {
    pk = op == "<>" ? PredicateKind::not_equal : PredicateKind::other;
    text = op + " ALL";
  } else if (kind == "AEXPR_IN") {
    pk = op == "=" ? PredicateKind::equality : PredicateKind::not_equal;
    text = op == "=" ? "IN" : "NOT IN";
  } else if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_BETWEEN_SYM") {
    pk = PredicateKind::range;
    text = "BETWEEN";
  } else if (kind == "AEXPR_NOT_BETWEEN" || kind == "AEXPR_NOT_BETWEEN_SYM") {
    text = "NOT BETWEEN";
  } else if (kind == "AEXPR_SIMILAR") {
    pk = op == "~" ? PredicateKind::regex : PredicateKind::other;
    text = op == "~" ? "SIMILAR TO" : "NOT SIMILAR TO";
    // The pattern arrives wrapped in similar_to_escape(pattern [, escape]).
    auto call = rexpr.first();
    if (call.key() == "FuncCall" && last_name(call["funcname"]) == "similar_to_escape")
      rexpr = call["args"].at(0);
  } else if (kind == "AEXPR_DISTINCT") {
    text = "IS DISTINCT FROM";
  } else if (kind == "AEXPR_NOT_DISTINCT") {
    text = "IS NOT DISTINCT FROM";
  }
  auto value = operand_of(rexpr, scope);
  add_predicate(std::move(*column), pk, text, value, ctx);
  walk(lexpr, scope);
}

namespace {

PredicateKind kind_for(const std::string& op, bool string_constant, const std::optional<std::string>& constant)
{
  if (op == "=")
    return PredicateKind::equality;
  if (op == "<" || op == ">" || op == "<=" || op == ">=")
    return PredicateKind::range;
  if (op == "<>")
    return PredicateKind::not_equal;
  if (op == "~~" || op == "~~*") {
    // Only a literal pattern that starts with fixed text can use a btree prefix range.
    if (!string_constant || !constant || constant->empty() || (*constant)[0] == '%' || (*constant)[0] == '_')
      return PredicateKind::like_infix;
    return PredicateKind::like_prefix;
  }
  if (op == "~" || op == "~*")
    return PredicateKind::regex;
  if (op == "@>" || op == "<@" || op == "&&")
    return PredicateKind::containment;
  return PredicateKind::other;
}

}  // namespace

void ShapeExtractor::comparison(json::Ref body, const Scope& scope, Context ctx)
{
  auto op = last_name(body["name"]);
  auto lexpr = body["lexpr"];
  auto rexpr = body["rexpr"];
  auto left = lexpr ? column_of(lexpr, scope) : std::nullopt;
  auto right = column_of(rexpr, scope);
  if (left && right) {
    bool same_table = left->table && right->table && *left->table == *right->table;
    if (op == "=" && !same_table)
      m_shape.joins.push_back(JoinEquality{std::move(*left), std::move(*right)});
    walk(lexpr, scope);
    walk(rexpr, scope);
    return;
  }
  if (left) {
    auto value = operand_of(rexpr, scope);
    auto kind = kind_for(op, value.is_string_constant, value.constant);
    add_predicate(std::move(*left), kind, op, value, ctx);
    walk(lexpr, scope);
    return;
  }
  if (right && lexpr) {
    auto value = operand_of(lexpr, scope);
    auto flip = flipped(op);
    auto kind = flip ? kind_for(*flip, value.is_string_constant, value.constant) : PredicateKind::other;
    add_predicate(std::move(*right), kind, flip ? *flip : op, value, ctx);
    walk(rexpr, scope);
    return;
  }
  walk(lexpr, scope);
  walk(rexpr, scope);
}

std::optional<ColumnUse> ShapeExtractor::column_ref(json::Ref body, const Scope& scope) const
{
  std::string_view names[4];
  std::size_t n = 0;
  for (auto field : body["fields"]) {
    if (field.first().key() != "String")
      return std::nullopt;  // t.* or an indirection: not one column
    if (n < 4)
      names[n] = field.first()["sval"].str();
    ++n;
  }
  if (n == 0 || n > 3)
    return std::nullopt;
  ColumnUse use;
  use.column = names[n - 1];
  if (n == 1) {
    if (scope.entries.size() == 1)
      use.table = scope.entries[0].table;
    return use;
  }
  for (const Scope* s = &scope; s != nullptr; s = s->parent) {
    for (const auto& entry : s->entries) {
      bool match = n == 2 ? entry.name == names[0] : (entry.schema == names[0] && entry.name == names[1]);
      if (match) {
        use.table = entry.table;
        return use;
      }
    }
  }
  return use;
}

std::optional<ColumnUse> ShapeExtractor::column_of(json::Ref node, const Scope& scope) const
{
  auto body = node.first();
  auto type = body.key();
  if (type == "ColumnRef")
    return column_ref(body, scope);
  std::string function;
  if (type == "FuncCall")
    function = last_name(body["funcname"]);
  else if (type == "TypeCast")
    function = "cast";
  else if (type == "CoalesceExpr")
    function = "coalesce";
  else if (type == "A_Expr" && body["kind"].str() == "AEXPR_OP")
    function = last_name(body["name"]);
  else
    return std::nullopt;
  json::Ref found;
  int count = 0;
  find_columns(body, found, count);
  if (count != 1)
    return std::nullopt;
  auto use = column_ref(found["ColumnRef"], scope);
  if (!use)
    return std::nullopt;
  use->function = std::move(function);
  use->expression = expression_text(node);
  return use;
}

ShapeExtractor::Operand ShapeExtractor::operand_of(json::Ref node, const Scope& scope)
{
  Operand value;
  value.params_from = m_shape.params.size();
  auto body = node.first();
  auto type = body.key();
  if (type == "TypeCast" && body["arg"].first().key() == "A_Const")
    body = body["arg"].first(), type = body.key();
  if (type == "A_Const") {
    value.constant = constant_text(body);
    value.is_string_constant = static_cast<bool>(body["sval"]);
  } else {
    json::Ref items;
    if (type == "List")
      items = body["items"];
    else if (type == "A_ArrayExpr" || type == "ArrayExpr")
      items = body["elements"];
    if (items) {
      value.list_length = items.size();
      auto first = items.at(0).first();
      if (first.key() == "A_Const")
        value.constant = constant_text(first);
    }
    walk(node, scope);
  }
  value.params_to = m_shape.params.size();
  if (value.params_to > value.params_from)
    value.param = m_shape.params[value.params_from].number;
  return value;
}

void ShapeExtractor::add_predicate(ColumnUse column, PredicateKind kind, std::string op, const Operand& value,
                                   Context ctx)
{
  for (std::size_t i = value.params_from; i < value.params_to; ++i)
    m_shape.params[i].column = column;
  Predicate p;
  p.column = std::move(column);
  p.kind = kind;
  p.case_insensitive = is_case_insensitive(op);
  p.op = std::move(op);
  p.clause = ctx.clause;
  p.under_or = ctx.under_or;
  p.param = value.param;
  p.constant = value.constant;
  p.in_list_length = value.list_length;
  m_shape.predicates.push_back(std::move(p));
}

}  // namespace parser::detail
