#pragma once
// What the catalog reader learns about tables, columns and indexes: plain data, no libpq.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/function_info.hpp"

namespace model {

struct ColumnStats {
  std::string name;
  std::string type;       //!< format_type(), e.g. "character varying(40)"
  std::string collation;  //!< empty for non-collatable types, "C", "en_US.utf8"…
  bool not_null = false;
  // From pg_stats; absent when the table was never analysed.
  std::optional<double> null_frac;
  std::optional<double> n_distinct;   //!< negative: a fraction of rows, as in pg_stats
  std::optional<double> correlation;
  std::vector<std::string> most_common_vals;
  std::vector<double> most_common_freqs;
};

struct IndexInfo {
  std::string schema;
  std::string name;
  std::string table;
  std::string definition;     //!< pg_get_indexdef()
  std::string access_method;  //!< btree, hash, gin, gist, brin…
  //! Key columns in order; an expression key is stored as its text with is_expression set.
  std::vector<std::string> columns;
  std::vector<bool> is_expression;
  std::vector<std::string> opclasses;  //!< one per key column; empty string = default opclass
  std::vector<bool> descending;
  std::vector<std::string> include_columns;
  std::string predicate;  //!< partial index WHERE, empty when none
  bool valid = true;
  bool backs_constraint = false;  //!< primary key, unique or exclusion constraint uses it
  std::optional<std::int64_t> idx_scan;  //!< pg_stat_user_indexes, since the stats reset
  bool unique = false;
  bool primary = false;
  std::int64_t size_bytes = 0;
};

//! pg_stat_user_tables counters (since the statistics were last reset).
struct TableActivity {
  std::int64_t seq_scan = 0;
  std::int64_t idx_scan = 0;
  std::int64_t n_live_tup = 0;
  std::int64_t n_dead_tup = 0;
  std::int64_t n_mod_since_analyze = 0;
  std::int64_t n_tup_ins = 0;
  std::int64_t n_tup_upd = 0;
  std::int64_t n_tup_del = 0;
  //! Seconds since the last ANALYZE or autoanalyze, whichever is newer; absent: never.
  std::optional<double> seconds_since_analyze;
};

struct TableInfo {
  std::string schema;
  std::string name;
  double reltuples = 0;  //!< -1 means never vacuumed/analysed (PostgreSQL 14+)
  std::int64_t relpages = 0;
  std::int64_t size_bytes = 0;  //!< pg_table_size
  std::vector<ColumnStats> columns;
  std::vector<IndexInfo> indexes;
  //! Activity from pg_stat_user_tables; absent when the reader could not see it.
  std::optional<TableActivity> activity;

  const ColumnStats* column(const std::string& column_name) const
  {
    for (const auto& c : columns)
      if (c.name == column_name)
        return &c;
    return nullptr;
  }
};

//! The table `name` in `tables`; an empty schema matches the first table of that name
//! (search_path order is the reader's job). Null when there is none.
inline const TableInfo* find_table_in(const std::vector<TableInfo>& tables, const std::string& schema,
                                      const std::string& name)
{
  for (const auto& t : tables)
    if (t.name == name && (schema.empty() || t.schema == schema))
      return &t;
  return nullptr;
}

struct Catalog {
  std::vector<TableInfo> tables;
  //! Function volatility, extensions and the database collation
  //! (connectors::pg::read_server_features); absent when not read (offline analysis).
  std::optional<ServerFeatures> features;

  //! find_table_in() over the catalog's tables.
  const TableInfo* find(const std::string& schema, const std::string& name) const
  {
    return find_table_in(tables, schema, name);
  }
};

}  // namespace model
