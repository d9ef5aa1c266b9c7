#pragma once
// Reads what pg_stat_statements holds for the current database, without pgadvisor's own
// statements, and how long the statistics have been collecting. Fetches only.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres/session.hpp"
#include "model/result.hpp"
#include "model/statement_stats.hpp"

namespace connectors::pg {

struct StatStatementsRow {
  std::string query;  //!< normalised text ($n for constants)
  model::StatementStats stats;
};

struct StatStatementsFilter {
  double min_calls = 1;
  std::size_t top = 100;  //!< by total execution time
};

//! The top statements of the current database by total time, top-level only (PostgreSQL 14+),
//! with calls >= min_calls, skipping pgadvisor's own statements (is_own_statement) and the
//! server's (SET, BEGIN…) and DDL/maintenance statements (CREATE, ANALYZE, VACUUM…). Column names of PostgreSQL 13+ and older are both handled.
//! Errors: refused when pg_stat_statements is not installed in this database ("CREATE
//! EXTENSION pg_stat_statements"); server (e.g. not loaded by shared_preload_libraries) or
//! unreachable.
model::Result<std::vector<StatStatementsRow>> read_stat_statements(Session& session,
                                                                  const StatStatementsFilter& filter);

//! Seconds since pg_stat_database.stats_reset for this database; nullopt when it was never
//! reset (the window is then unknown). Errors: server or unreachable.
model::Result<std::optional<double>> stats_window_seconds(Session& session);

//! Seconds since pg_stat_statements_info.stats_reset (PostgreSQL 14+): the window the
//! statement figures cover; nullopt when unknown (older server, no access).
std::optional<double> stat_statements_window_seconds(Session& session);

//! The last query text of every other backend of this database (pg_stat_activity), without
//! pgadvisor's own: real constants behind normalised text. Errors: server or unreachable.
model::Result<std::vector<std::string>> read_activity_samples(Session& session);

//! What pgadvisor itself sends (it connects as application_name "pgadvisor", which
//! pg_stat_statements does not record, so its statements are recognised by their text):
//! EXPLAIN, PREPARE/EXECUTE/DEALLOCATE of pgadvisor_stmt_N, SET/RESET/SHOW, transaction
//! control, hypopg_* calls, reads of pg_stat_statements, pg_stat_* views and the system
//! catalogs (pg_catalog, information_schema).
bool is_own_statement(const std::string& query);

}  // namespace connectors::pg
