#pragma once
// The walk from a libpg_query parse tree to a QueryShape. Statements, scopes and FROM items
// live in shape_extractor.cpp; predicates, column and value resolution in
// shape_predicates.cpp.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/json_tree.hpp"
#include "parser/query_shape.hpp"

namespace parser::detail {

//! Adds the column to shape.columns_read unless it is there already.
void note_read(QueryShape& shape, ColumnUse column);

//! Fills a QueryShape from one statement node ({"SelectStmt": {…}} etc., the "stmt" member
//! of a RawStmt). Never throws on unexpected trees: what it does not know it walks generically.
class ShapeExtractor {
public:
  explicit ShapeExtractor(QueryShape& shape) : m_shape(shape) {}

  void statement(json::Ref stmt);

private:
  //! One name visible in a SELECT level's FROM: a base table, a CTE or a subquery alias.
  struct Entry {
    std::string_view name;    //!< alias, else relation name
    std::string_view schema;  //!< for unaliased base tables: matches schema.table.column
    std::optional<std::size_t> table;  //!< index into QueryShape::tables; none for CTE/subquery
  };
  struct Scope {
    const Scope* parent = nullptr;
    int level = 0;
    std::vector<Entry> entries;
    std::vector<std::string_view> ctes;  //!< CTE names defined at this level
  };
  struct Context {
    Clause clause = Clause::where;
    bool under_or = false;
  };
  //! The compared side of a predicate.
  struct Operand {
    std::optional<int> param;
    std::optional<std::string> constant;
    std::size_t params_from = 0;  //!< its $n are QueryShape::params[params_from, params_to)
    std::size_t params_to = 0;
    std::size_t list_length = 0;
    bool is_string_constant = false;
  };

  // shape_extractor.cpp
  void any_statement(json::Ref stmt, const Scope* parent, int level, bool top);
  void select(json::Ref body, const Scope* parent, int level, bool top, bool branch);
  void with_clause(json::Ref with, Scope& scope);
  void insert(json::Ref body, const Scope* parent, int level);
  void update(json::Ref body, const Scope* parent, int level);
  void delete_(json::Ref body, const Scope* parent, int level);
  void merge(json::Ref body, const Scope* parent, int level);
  std::optional<std::size_t> add_relation(json::Ref range_var, Scope& scope);
  std::optional<std::size_t> from_item(json::Ref node, Scope& scope, std::vector<json::Ref>& quals);
  void target_list(json::Ref list, Scope& scope, bool top);
  void order_by(json::Ref sort_clause, json::Ref target_list, Scope& scope);
  void group_by(json::Ref group_clause, json::Ref target_list, Scope& scope);
  void limit(json::Ref count, json::Ref offset, Scope& scope);
  json::Ref resolve_output_column(json::Ref node, json::Ref target_list) const;
  void record_function(json::Ref func_call);
  bool is_cte(std::string_view name, const Scope& scope) const;

  // shape_predicates.cpp
  void walk(json::Ref node, const Scope& scope);
  void condition(json::Ref node, const Scope& scope, Context ctx);
  void a_expr(json::Ref body, const Scope& scope, Context ctx);
  void comparison(json::Ref body, const Scope& scope, Context ctx);
  void sub_link(json::Ref body, const Scope& scope, Context ctx, bool record);
  std::optional<ColumnUse> column_of(json::Ref node, const Scope& scope) const;
  std::optional<ColumnUse> column_ref(json::Ref body, const Scope& scope) const;
  Operand operand_of(json::Ref node, const Scope& scope);
  void add_predicate(ColumnUse column, PredicateKind kind, std::string op, const Operand& value,
                     Context ctx);

  QueryShape& m_shape;
};

}  // namespace parser::detail
