#pragma once
// Comparisons whose column side is wrapped in a function or a cast (lower(email) = $1,
// created_at::date = '2024-01-01'): shared by function_on_column and implicit_cast_on_column.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

struct WrappedComparison {
  const nlohmann::json* expr = nullptr;        //!< the A_Expr body
  const nlohmann::json* wrapped = nullptr;     //!< the wrapped side ({"FuncCall": …} / {"TypeCast": …})
  const nlohmann::json* other = nullptr;       //!< the compared side
  const nlohmann::json* column_ref = nullptr;  //!< the ColumnRef node inside the wrapped side
  std::string op;                              //!< "=", "<", "<=", ">", ">="
  std::string wrapper;                         //!< function name, or "cast"
  std::string cast_type;                       //!< for a cast: the type's last name ("date", "text")
  std::string qualifier;                       //!< the column's table qualifier, "" when unqualified
  std::string column;
  bool compared_to_param = false;              //!< $n (possibly cast) on the other side
};

//! Every comparison of a wrapped single column with a constant or a parameter, in the
//! statement's WHERE/ON/HAVING clauses and sub-selects.
std::vector<WrappedComparison> wrapped_comparisons(const nlohmann::json& stmt);

//! The shape table a qualifier names, looking at the top level first and then deeper levels.
std::optional<std::size_t> table_for_qualifier(const parser::QueryShape& shape, const std::string& qualifier);

}  // namespace heuristics::rewrites
