#pragma once
// Expression index candidates: which functions and operators an expression uses, and whether
// pg_proc says they are all IMMUTABLE (PostgreSQL refuses an index expression otherwise).

#include <optional>
#include <string>
#include <vector>

#include "model/function_info.hpp"
#include "parser/query_shape.hpp"

namespace heuristics {

//! Function names (identifiers followed by '(') and operator symbols in an expression's text,
//! outside quoted literals, lowercase, each once: "lower(trim(email))" -> {lower, trim};
//! "payload ->> 'campaign'" -> {->>}.
std::vector<std::string> expression_functions(const std::string& expression);

//! Every function and operator name in the query's function-wrapped columns: what
//! connectors::pg::read_server_features() must look up for the expression candidates.
std::vector<std::string> functions_to_check(const parser::QueryShape& shape);

//! Why the expression cannot be an index key, or nullopt when every function/operator in it is
//! IMMUTABLE. For the outermost call (`outer`, applied to a column of type `column_type`),
//! only the overloads taking that type decide when there are such; otherwise all overloads of
//! the name must be IMMUTABLE. Reasons: "date_trunc(text, timestamp with time zone) is STABLE,
//! not IMMUTABLE"; "frobnicate is not a function in pg_proc".
std::optional<std::string> expression_rejection(const std::string& expression, const std::string& outer,
                                                const std::string& column_type,
                                                const model::ServerFeatures& features);

}  // namespace heuristics
