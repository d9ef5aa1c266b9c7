#pragma once
// What the rewrite rules share: how big a named table is, its catalog entry and name, and the
// common parts of a finding.

#include <optional>
#include <string>

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

enum class TableSize {
  no_catalog,      //!< offline analysis: size unknown, the SQL alone decides
  not_in_catalog,  //!< a catalog was read but has no such table: unknown object, stay silent
  small,           //!< below RuleSettings::min_table_rows: scanning it is fine
  large,
};

//! The catalog entry of shape.tables[table], or null (no catalog, unknown table).
const model::TableInfo* catalog_table(const RuleContext& context, std::size_t table);

TableSize table_size(const RuleContext& context, const RuleSettings& settings, std::size_t table);

//! True when a finding about this table is worth making: large, or no catalog to tell.
bool worth_flagging(TableSize size);

//! "schema.table" of shape.tables[table] (the catalog's schema when the query left it out).
std::string relation_of(const RuleContext& context, std::size_t table);

//! Estimated rows of shape.tables[table] from the catalog; nullopt when unknown.
std::optional<double> table_rows(const RuleContext& context, std::size_t table);

//! True when some valid index of the table has `column` as its first key.
bool column_leads_index(const model::TableInfo& table, const std::string& column);

//! A finding with the id, title, location and relation filled in.
model::Finding make_finding(std::string rule_id, std::string title, std::string location, std::string relation = {});

//! The text of a quoted SQL string constant ("it''s" for it's).
std::string sql_string(const std::string& value);

}  // namespace heuristics::rewrites
