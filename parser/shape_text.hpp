#pragma once
// A small deparser for the expressions QueryShape reports (wrapped columns, ORDER BY
// expressions, constants). Not a full SQL deparser: unknown nodes print as "?".

#include <string>
#include <string_view>

#include "parser/json_tree.hpp"

namespace parser::detail {

//! SQL text of an expression node ({"FuncCall": {…}} etc.). Column references print
//! unqualified ("lower(email)" for lower(u.email)), as an index expression needs them.
std::string expression_text(json::Ref node);

//! Literal text of an A_Const body (its inner object): "42", "1.5", "abc", "true", "NULL".
//! Strings are unquoted.
std::string constant_text(json::Ref a_const);

//! Type name of a TypeName body without the pg_catalog schema: "int4", "text[]".
std::string type_name_text(json::Ref type_name);

//! Last name of a qualified name list [{"String":{"sval":…}}…], lowercased.
std::string last_name(json::Ref names);

}  // namespace parser::detail
