#pragma once
// QueryShape: what heuristics need to know about a statement, extracted from the parse tree.
// Plain data; produced by parser::extract_shape().

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parser {

enum class StatementKind { select, insert, update, delete_, merge, utility, other };

enum class PredicateKind {
  equality,     //!< col = x, col IN (…), col = ANY(…)
  range,        //!< <, <=, >, >=, BETWEEN
  not_equal,    //!< <>, !=, NOT IN
  is_null,
  is_not_null,
  like_prefix,  //!< LIKE 'abc%' (also ILIKE with ilike = true)
  like_infix,   //!< LIKE '%abc%' or a pattern not known at parse time
  regex,        //!< ~, ~*, SIMILAR TO
  containment,  //!< @>, <@, && (jsonb, arrays)
  other,
};

enum class Clause { where, join_on, having };

//! One column reference. `table` indexes QueryShape::tables; empty when the column is
//! unqualified and several tables are in scope (resolve with the catalog).
struct ColumnUse {
  std::optional<std::size_t> table;
  std::string column;
  std::string function;  //!< non-empty when wrapped: lower(email) -> "lower"; a cast
                         //!< (created_at::date) -> "cast"; arithmetic (price * 2) -> "*"
  std::string expression;  //!< deparsed-ish text of the wrapped expression, e.g. "lower(email)";
                           //!< also set (with `column` empty) for an ORDER BY expression
                           //!< that holds no single column, e.g. "random()"
};

struct Predicate {
  ColumnUse column;
  PredicateKind kind = PredicateKind::other;
  std::string op;             //!< "=", "<", "~~", "IN", "BETWEEN", "IS NULL"…
  Clause clause = Clause::where;
  bool case_insensitive = false;  //!< ILIKE, ~*
  std::optional<int> param;   //!< $n compared to the column
  std::optional<std::string> constant;  //!< literal text when compared to a constant
  std::size_t in_list_length = 0;       //!< IN (…) literal count
  bool under_or = false;  //!< below an OR: recorded for the columns, not a filter on its own
};

struct JoinEquality {
  ColumnUse left;
  ColumnUse right;
};

struct OrderKey {
  ColumnUse column;
  bool descending = false;
  std::optional<bool> nulls_first;  //!< unset: the default for the direction
};

struct TableRef {
  std::string schema;  //!< empty when unqualified
  std::string name;
  std::string alias;   //!< empty when none
  int select_level = 0;  //!< 0 = top level; subqueries and CTE bodies count up
};

struct ParamUse {
  int number = 0;  //!< $n
  ColumnUse column;
};

struct QueryShape {
  StatementKind kind = StatementKind::other;
  std::vector<TableRef> tables;  //!< every base-table reference (CTE names are not tables)
  std::vector<Predicate> predicates;
  std::vector<JoinEquality> joins;
  std::vector<OrderKey> order_by;  //!< of the top-level SELECT
  std::vector<ColumnUse> group_by;
  std::optional<std::int64_t> limit;   //!< constant LIMIT
  std::optional<std::int64_t> offset;  //!< constant OFFSET
  bool limit_is_param = false;
  bool offset_is_param = false;  //!< OFFSET $n
  bool has_limit = false;
  bool select_star = false;
  bool has_writing_cte = false;  //!< WITH … INSERT/UPDATE/DELETE
  bool has_set_operation = false;  //!< UNION/INTERSECT/EXCEPT
  std::vector<ParamUse> params;
  std::vector<std::string> functions_called;  //!< every function name in the statement
  //! The statement's source text, for rules that splice a rewrite from parse-tree locations;
  //! empty when the caller did not keep it (those rules then stay silent).
  std::string sql;
  //! Every column the statement reads (select list, conditions, ORDER/GROUP BY, USING), each
  //! (table, column) once. `t.*` is recorded as column "*" of that table; a bare `*` as
  //! column "*" without a table (every table). Covering indexes are built from this.
  std::vector<ColumnUse> columns_read;

  //! The predicates on one table (by index into `tables`).
  std::vector<const Predicate*> predicates_on(std::size_t table) const
  {
    std::vector<const Predicate*> out;
    for (const auto& p : predicates)
      if (p.column.table == table)
        out.push_back(&p);
    return out;
  }
};

}  // namespace parser
