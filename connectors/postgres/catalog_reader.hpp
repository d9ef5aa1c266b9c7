#pragma once
// Reads what the heuristics need to know about a set of tables (sizes, columns with their
// statistics, indexes key by key) in one query per kind, whatever the number of tables.

#include <string>
#include <utility>
#include <vector>

#include "connectors/postgres/session.hpp"
#include "model/catalog.hpp"
#include "model/result.hpp"

namespace connectors::pg {

//! Reads the (schema, name) tables; an empty schema resolves the name through the session's
//! search_path. Names are taken verbatim (as the parser folded them), never re-cased.
//! Errors: not_found `relation "x" does not exist` naming the first unknown table; server or
//! unreachable for failures of the catalog queries. Duplicates are read once.
model::Result<model::Catalog> read_catalog(Session& session,
                                           const std::vector<std::pair<std::string, std::string>>& tables);

}  // namespace connectors::pg
