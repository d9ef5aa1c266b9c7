#include "parser/shape_extractor.hpp"

#include <algorithm>

#include "parser/shape_text.hpp"

namespace parser::detail {

namespace {

StatementKind kind_of(std::string_view type)
{
  if (type == "SelectStmt")
    return StatementKind::select;
  if (type == "InsertStmt")
    return StatementKind::insert;
  if (type == "UpdateStmt")
    return StatementKind::update;
  if (type == "DeleteStmt")
    return StatementKind::delete_;
  if (type == "MergeStmt")
    return StatementKind::merge;
  if (type.empty())
    return StatementKind::other;
  return StatementKind::utility;
}

bool is_writing(std::string_view type)
{
  return type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt" || type == "MergeStmt";
}

}  // namespace

void ShapeExtractor::statement(json::Ref stmt)
{
  m_shape.kind = kind_of(stmt.first().key());
  any_statement(stmt, nullptr, 0, true);
}

void ShapeExtractor::any_statement(json::Ref stmt, const Scope* parent, int level, bool top)
{
  auto node = stmt.first();
  auto type = node.key();
  if (type == "SelectStmt")
    select(node, parent, level, top, false);
  else if (type == "InsertStmt")
    insert(node, parent, level);
  else if (type == "UpdateStmt")
    update(node, parent, level);
  else if (type == "DeleteStmt")
    delete_(node, parent, level);
  else if (type == "MergeStmt")
    merge(node, parent, level);
  else if (type == "ExplainStmt" || type == "CreateTableAsStmt" || type == "DeclareCursorStmt")
    any_statement(node["query"], parent, level, top);
}

bool ShapeExtractor::is_cte(std::string_view name, const Scope& scope) const
{
  for (const Scope* s = &scope; s != nullptr; s = s->parent)
    if (std::find(s->ctes.begin(), s->ctes.end(), name) != s->ctes.end())
      return true;
  return false;
}

void ShapeExtractor::with_clause(json::Ref with, Scope& scope)
{
  if (!with)
    return;
  // Names first: a recursive CTE and later CTEs see every name of the WITH list.
  for (auto cte : with["ctes"])
    scope.ctes.push_back(cte.first()["ctename"].str());
  for (auto cte : with["ctes"]) {
    auto query = cte.first()["ctequery"];
    if (is_writing(query.first().key()))
      m_shape.has_writing_cte = true;
    any_statement(query, &scope, scope.level + 1, false);
  }
}

void ShapeExtractor::select(json::Ref body, const Scope* parent, int level, bool top, bool branch)
{
  Scope scope{parent, level, {}, {}};
  with_clause(body["withClause"], scope);
  bool outer = top && !branch;

  auto op = body["op"].str();
  if (!op.empty() && op != "SETOP_NONE") {
    m_shape.has_set_operation = true;
    select(body["larg"], &scope, level, top, true);
    select(body["rarg"], &scope, level, top, true);
    if (outer) {
      // ORDER BY 2 of a set operation names the output column of the leftmost branch.
      auto left = body["larg"];
      while (left["larg"])
        left = left["larg"];
      order_by(body["sortClause"], left["targetList"], scope);
      limit(body["limitCount"], body["limitOffset"], scope);
    } else {
      walk(body["sortClause"], scope);
      walk(body["limitCount"], scope);
      walk(body["limitOffset"], scope);
    }
    return;
  }

  std::vector<json::Ref> quals;
  for (auto item : body["fromClause"])
    from_item(item, scope, quals);
  // Join conditions after the whole FROM list, so every name they may use is in scope.
  for (auto qual : quals)
    condition(qual, scope, Context{Clause::join_on, false});

  auto targets = body["targetList"];
  target_list(targets, scope, top);
  condition(body["whereClause"], scope, Context{Clause::where, false});
  if (top)
    group_by(body["groupClause"], targets, scope);
  else
    walk(body["groupClause"], scope);
  condition(body["havingClause"], scope, Context{Clause::having, false});
  if (outer) {
    order_by(body["sortClause"], targets, scope);
    limit(body["limitCount"], body["limitOffset"], scope);
  } else {
    walk(body["sortClause"], scope);
    walk(body["limitCount"], scope);
    walk(body["limitOffset"], scope);
  }
  walk(body["valuesLists"], scope);
  walk(body["distinctClause"], scope);
  walk(body["windowClause"], scope);
}

std::optional<std::size_t> ShapeExtractor::add_relation(json::Ref range_var, Scope& scope)
{
  auto name = range_var["relname"].str();
  auto schema = range_var["schemaname"].str();
  auto alias = range_var["alias"]["aliasname"].str();
  if (schema.empty() && is_cte(name, scope)) {
    scope.entries.push_back(Entry{alias.empty() ? name : alias, {}, std::nullopt});
    return std::nullopt;
  }
  TableRef ref;
  ref.schema = schema;
  ref.name = name;
  ref.alias = alias;
  ref.select_level = scope.level;
  m_shape.tables.push_back(std::move(ref));
  std::size_t index = m_shape.tables.size() - 1;
  scope.entries.push_back(Entry{alias.empty() ? name : alias, alias.empty() ? schema : std::string_view(), index});
  return index;
}

std::optional<std::size_t> ShapeExtractor::from_item(json::Ref node, Scope& scope, std::vector<json::Ref>& quals)
{
  auto body = node.first();
  auto type = body.key();
  if (type == "RangeVar")
    return add_relation(body, scope);
  if (type == "JoinExpr") {
    auto left = from_item(body["larg"], scope, quals);
    auto right = from_item(body["rarg"], scope, quals);
    if (auto q = body["quals"])
      quals.push_back(q);
    for (auto column : body["usingClause"]) {
      auto name = std::string(column["String"]["sval"].str());
      m_shape.joins.push_back(JoinEquality{ColumnUse{left, name, {}, {}}, ColumnUse{right, name, {}, {}}});
      note_read(m_shape, ColumnUse{left, name, {}, {}});
      note_read(m_shape, ColumnUse{right, name, {}, {}});
    }
    return std::nullopt;
  }
  if (type == "RangeSubselect") {
    any_statement(body["subquery"], &scope, scope.level + 1, false);
    scope.entries.push_back(Entry{body["alias"]["aliasname"].str(), {}, std::nullopt});
    return std::nullopt;
  }
  if (type == "RangeFunction") {
    walk(body["functions"], scope);
    scope.entries.push_back(Entry{body["alias"]["aliasname"].str(), {}, std::nullopt});
    return std::nullopt;
  }
  if (type == "RangeTableSample")
    return from_item(body["relation"], scope, quals);
  walk(node, scope);
  return std::nullopt;
}

void ShapeExtractor::target_list(json::Ref list, Scope& scope, bool top)
{
  for (auto target : list) {
    auto val = target.first()["val"];
    if (top && val.first().key() == "ColumnRef") {
      auto fields = val.first()["fields"];
      auto last = fields.at(fields.size() - 1);
      if (last.first().key() == "A_Star")
        m_shape.select_star = true;
    }
    walk(val, scope);
  }
}

json::Ref ShapeExtractor::resolve_output_column(json::Ref node, json::Ref target_list) const
{
  // ORDER BY 2 and ORDER BY alias name the output column, not an input one.
  auto body = node.first();
  if (body.key() == "A_Const" && body["ival"]) {
    auto n = body["ival"]["ival"].integer();
    if (n >= 1) {
      auto target = target_list.at(static_cast<std::size_t>(n - 1));
      if (target)
        return target.first()["val"];
    }
    return node;
  }
  if (body.key() == "ColumnRef" && body["fields"].size() == 1) {
    auto name = body["fields"].at(0)["String"]["sval"].str();
    for (auto target : target_list)
      if (!name.empty() && target.first()["name"].str() == name)
        return target.first()["val"];
  }
  return node;
}

void ShapeExtractor::order_by(json::Ref sort_clause, json::Ref target_list, Scope& scope)
{
  for (auto item : sort_clause) {
    auto sort = item.first();
    auto node = resolve_output_column(sort["node"], target_list);
    OrderKey key;
    if (auto column = column_of(node, scope))
      key.column = std::move(*column);
    else
      key.column.expression = expression_text(node);
    key.descending = sort["sortby_dir"].str() == "SORTBY_DESC";
    auto nulls = sort["sortby_nulls"].str();
    if (nulls == "SORTBY_NULLS_FIRST")
      key.nulls_first = true;
    else if (nulls == "SORTBY_NULLS_LAST")
      key.nulls_first = false;
    m_shape.order_by.push_back(std::move(key));
    walk(sort["node"], scope);
  }
}

void ShapeExtractor::group_by(json::Ref group_clause, json::Ref target_list, Scope& scope)
{
  for (auto item : group_clause) {
    auto node = resolve_output_column(item, target_list);
    if (auto column = column_of(node, scope))
      m_shape.group_by.push_back(std::move(*column));
    walk(item, scope);
  }
}

void ShapeExtractor::limit(json::Ref count, json::Ref offset, Scope& scope)
{
  if (count) {
    auto body = count.first();
    if (body.key() == "A_Const") {
      if (!body["isnull"].boolean()) {  // LIMIT ALL / LIMIT NULL: no limit
        m_shape.has_limit = true;
        m_shape.limit = body["ival"]["ival"].integer();
      }
    } else {
      m_shape.has_limit = true;
      m_shape.limit_is_param = body.key() == "ParamRef";
      walk(count, scope);
    }
  }
  if (offset) {
    auto body = offset.first();
    if (body.key() == "A_Const") {
      if (!body["isnull"].boolean())
        m_shape.offset = body["ival"]["ival"].integer();
    } else {
      m_shape.offset_is_param = body.key() == "ParamRef";
      walk(offset, scope);
    }
  }
}

void ShapeExtractor::record_function(json::Ref func_call)
{
  auto names = func_call["funcname"];
  auto name = last_name(names);
  // The grammar wraps SIMILAR TO patterns in this call; the user never wrote it.
  if (name == "similar_to_escape")
    return;
  auto& called = m_shape.functions_called;
  if (!name.empty() && std::find(called.begin(), called.end(), name) == called.end())
    called.push_back(std::move(name));
}

void ShapeExtractor::insert(json::Ref body, const Scope* parent, int level)
{
  Scope scope{parent, level, {}, {}};
  with_clause(body["withClause"], scope);
  auto table = add_relation(body["relation"], scope);

  auto select_stmt = body["selectStmt"];
  auto values = select_stmt.first()["valuesLists"];
  if (values) {
    // VALUES ($1, $2) pairs each parameter with the inserted column.
    auto cols = body["cols"];
    for (auto row : values) {
      std::size_t i = 0;
      for (auto item : row.first()["items"]) {
        auto col = cols.at(i++);
        if (item.first().key() == "ParamRef" && col)
          m_shape.params.push_back(ParamUse{static_cast<int>(item.first()["number"].integer()),
                                            ColumnUse{table, std::string(col.first()["name"].str()), {}, {}}});
        else
          walk(item, scope);
      }
    }
  } else if (select_stmt) {
    any_statement(select_stmt, &scope, level + 1, false);
  }
  auto conflict = body["onConflictClause"];
  walk(conflict["targetList"], scope);
  condition(conflict["whereClause"], scope, Context{Clause::where, false});
  walk(body["returningList"], scope);
}

void ShapeExtractor::update(json::Ref body, const Scope* parent, int level)
{
  Scope scope{parent, level, {}, {}};
  with_clause(body["withClause"], scope);
  auto table = add_relation(body["relation"], scope);
  std::vector<json::Ref> quals;
  for (auto item : body["fromClause"])
    from_item(item, scope, quals);
  for (auto qual : quals)
    condition(qual, scope, Context{Clause::join_on, false});
  for (auto target : body["targetList"]) {
    auto val = target.first()["val"];
    if (val.first().key() == "ParamRef")
      m_shape.params.push_back(ParamUse{static_cast<int>(val.first()["number"].integer()),
                                        ColumnUse{table, std::string(target.first()["name"].str()), {}, {}}});
    else
      walk(val, scope);
  }
  condition(body["whereClause"], scope, Context{Clause::where, false});
  walk(body["returningList"], scope);
}

void ShapeExtractor::delete_(json::Ref body, const Scope* parent, int level)
{
  Scope scope{parent, level, {}, {}};
  with_clause(body["withClause"], scope);
  add_relation(body["relation"], scope);
  std::vector<json::Ref> quals;
  for (auto item : body["usingClause"])
    from_item(item, scope, quals);
  for (auto qual : quals)
    condition(qual, scope, Context{Clause::join_on, false});
  condition(body["whereClause"], scope, Context{Clause::where, false});
  walk(body["returningList"], scope);
}

void ShapeExtractor::merge(json::Ref body, const Scope* parent, int level)
{
  Scope scope{parent, level, {}, {}};
  with_clause(body["withClause"], scope);
  add_relation(body["relation"], scope);
  std::vector<json::Ref> quals;
  from_item(body["sourceRelation"], scope, quals);
  for (auto qual : quals)
    condition(qual, scope, Context{Clause::join_on, false});
  condition(body["joinCondition"], scope, Context{Clause::join_on, false});
  walk(body["mergeWhenClauses"], scope);
}

}  // namespace parser::detail
