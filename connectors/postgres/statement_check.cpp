#include "connectors/postgres/statement_check.hpp"

#include <algorithm>
#include <vector>

#include "parser/query.hpp"

namespace connectors::pg {

namespace {

bool contains_node(const nlohmann::json& node, std::initializer_list<std::string_view> names)
{
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (std::find(names.begin(), names.end(), key) != names.end())
        return true;
      if (contains_node(value, names))
        return true;
    }
  } else if (node.is_array()) {
    for (const auto& value : node)
      if (contains_node(value, names))
        return true;
  }
  return false;
}

//! {"stmts":[{"stmt":{"SelectStmt":{…}}}]} -> the "SelectStmt" member name.
std::string top_node_name(const nlohmann::json& tree)
{
  const auto stmts = tree.find("stmts");
  if (stmts == tree.end() || !stmts->is_array() || stmts->empty())
    return {};
  const auto stmt = stmts->at(0).find("stmt");
  if (stmt == stmts->at(0).end() || !stmt->is_object() || stmt->empty())
    return {};
  return stmt->begin().key();
}

}  // namespace

bool tree_contains_node(const nlohmann::json& tree, std::initializer_list<std::string_view> names)
{
  return contains_node(tree, names);
}

std::string describe_relations(const parser::QueryShape& shape)
{
  std::vector<std::string> seen;
  for (const auto& t : shape.tables) {
    auto name = t.schema.empty() ? t.name : t.schema + "." + t.name;
    if (std::find(seen.begin(), seen.end(), name) == seen.end())
      seen.push_back(std::move(name));
  }
  std::string out;
  for (const auto& name : seen)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

model::Result<CheckedStatement> check_statement(std::string_view sql)
{
  auto parsed = parser::parse(sql);
  if (!parsed)
    return parsed.error();
  if (parsed->statement_count != 1)
    return model::make_error(model::ErrorKind::refused,
                             "pgadvisor explains one statement at a time; got " +
                                 std::to_string(parsed->statement_count),
                             "pass the statements one by one");
  const auto& tree = parsed->tree;
  const auto top = top_node_name(tree);
  CheckedStatement out;
  out.shape = parser::extract_shape(*parsed);
  // The top node decides the kind too, so a shape bug cannot turn DDL into a SELECT.
  const bool is_select = top == "SelectStmt" && out.shape.kind == parser::StatementKind::select;
  const bool is_write = top == "InsertStmt" || top == "UpdateStmt" || top == "DeleteStmt" ||
                        top == "MergeStmt";
  if (!is_select && !is_write)
    return model::make_error(model::ErrorKind::refused,
                             "pgadvisor explains SELECT, INSERT, UPDATE, DELETE and MERGE only; "
                             "refused a utility statement" +
                                 (top.empty() ? std::string() : " (" + top + ")"));
  // Rows locked by FOR UPDATE/SHARE, a data-modifying CTE or SELECT INTO all write: no ANALYZE.
  const bool writes = is_write || out.shape.has_writing_cte ||
                      tree_contains_node(tree, {"LockingClause", "intoClause", "InsertStmt",
                                                "UpdateStmt", "DeleteStmt", "MergeStmt"});
  out.statement_class = writes ? StatementClass::write : StatementClass::read_only_select;
  out.has_parameters = tree_contains_node(tree, {"ParamRef"});
  out.relations = describe_relations(out.shape);

  auto statements = parser::split_statements(sql);
  if (statements && statements->size() == 1)
    out.text = statements->front();
  else
    out.text = std::string(sql);
  return out;
}

}  // namespace connectors::pg
