#pragma once
// Joins the parser's QueryShape to the catalog and to plan nodes: which table a column is on,
// which shape table a scanned relation is.

#include <optional>
#include <string>

#include "model/catalog.hpp"
#include "parser/query_shape.hpp"

namespace heuristics {

//! The catalog entry of a table the query names (schema empty: first match), or null.
const model::TableInfo* find_table(const parser::TableRef& table, const model::Catalog* catalog);

//! The index into shape.tables of the column's table: its own when the parser resolved it,
//! else the one query table whose catalog entry has that column (none or several: nullopt).
std::optional<std::size_t> resolve_table(const parser::ColumnUse& column, const parser::QueryShape& shape,
                                         const model::Catalog* catalog);

//! The shape table a plan node scans: same relation name, and same alias when the plan has one
//! that differs from the name (self-joins). nullopt when none matches.
std::optional<std::size_t> table_for_relation(const parser::QueryShape& shape, const std::string& relation,
                                              const std::string& alias);

//! "schema.table", or "table" when the schema is unknown.
std::string relation_text(const std::string& schema, const std::string& table);

}  // namespace heuristics
