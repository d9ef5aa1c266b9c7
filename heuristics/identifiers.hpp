#pragma once
// SQL identifiers as PostgreSQL's quote_ident() writes them, for the DDL we print and run.

#include <string>
#include <string_view>

namespace heuristics {

//! The identifier as-is when PostgreSQL would read it back unchanged (lowercase letters,
//! digits and underscores, not starting with a digit, not a reserved/column-name/type-function
//! keyword); otherwise double-quoted with embedded quotes doubled. Same result as
//! quote_ident() on PostgreSQL 15.
std::string quote_ident(std::string_view identifier);

//! "schema.name" with both parts quoted as needed; just the name when schema is empty.
std::string qualified_name(std::string_view schema, std::string_view name);

}  // namespace heuristics
