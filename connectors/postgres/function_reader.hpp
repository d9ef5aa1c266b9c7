#pragma once
// Reads what index candidates depend on beyond tables: the volatility of the functions a query
// wraps columns in (an expression index needs IMMUTABLE ones), the installed extensions
// (pg_trgm for trigram GIN) and the database collation. Fetches only; decides nothing.

#include <string>
#include <vector>

#include "connectors/postgres/session.hpp"
#include "model/function_info.hpp"
#include "model/result.hpp"

namespace connectors::pg {

//! Every overload (pg_proc, prokind 'f', any schema) of the given lowercase function names
//! with its input argument types (format_type) and volatility, and every operator
//! (pg_operator) among the names, with its operand types and its function's volatility; the extensions installed in this
//! database; pg_database.datcollate of the current database. Unknown names are simply absent.
//! One read-only transaction, nothing written. Errors: server or unreachable.
model::Result<model::ServerFeatures> read_server_features(Session& session,
                                                          const std::vector<std::string>& function_names);

}  // namespace connectors::pg
