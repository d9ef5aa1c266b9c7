#pragma once
// Decides, from the parse tree and before anything reaches the server, whether a statement may
// be explained and how: EXPLAIN ANALYZE only for a plain read-only SELECT, plain EXPLAIN for
// writes, nothing for utility statements or several statements.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/result.hpp"
#include "parser/query_shape.hpp"

namespace connectors::pg {

enum class StatementClass {
  read_only_select,  //!< SELECT without writing CTE, locking clause or INTO: ANALYZE is safe
  write,             //!< INSERT/UPDATE/DELETE/MERGE, WITH … DELETE, SELECT … FOR UPDATE, SELECT INTO
};

struct CheckedStatement {
  std::string text;  //!< the single statement, without its trailing ';'
  StatementClass statement_class = StatementClass::write;
  bool has_parameters = false;  //!< $n placeholders: plan it as a generic plan
  parser::QueryShape shape;
  std::string relations;  //!< "s.t, u" for messages: the tables the statement names
};

//! Parses `sql` and classifies it. Errors: the parser's invalid_input; ErrorKind::refused
//! "pgadvisor explains one statement at a time; got N" when N != 1; ErrorKind::refused for a
//! utility statement (DDL, VACUUM, COPY, EXPLAIN…).
model::Result<CheckedStatement> check_statement(std::string_view sql);

//! True when the tree holds a node of any of these libpg_query type names anywhere.
bool tree_contains_node(const nlohmann::json& tree, std::initializer_list<std::string_view> names);

//! The tables of a shape, "schema.name" when qualified, comma-separated, in order, unique.
std::string describe_relations(const parser::QueryShape& shape);

}  // namespace connectors::pg
