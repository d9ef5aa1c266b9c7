#include "connectors/postgres/stat_statements_reader.hpp"

#include <regex>

#include <pqxx/pqxx>

#include "connectors/postgres/server_error.hpp"

namespace connectors::pg {

namespace {

//! Rows read before filtering ours out, so `top` still fills up.
constexpr std::size_t overfetch = 4;

std::string extension_schema(pqxx::read_transaction& txn)
{
  const auto rows = txn.exec(
      "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
      "WHERE e.extname = 'pg_stat_statements'");
  return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

//! DDL and maintenance: nothing an index could speed up, so never part of a workload.
bool is_utility(const std::string& query)
{
  static const std::regex utility(
      R"(^\s*(/\*.*?\*/\s*)*(CREATE|DROP|ALTER|ANALYZE|VACUUM|GRANT|REVOKE|TRUNCATE|COPY|CALL|DO|COMMENT|REINDEX|CLUSTER|CHECKPOINT|LOCK|REFRESH|SECURITY|NOTIFY|LOAD|IMPORT)\b)",
      std::regex::icase);
  return std::regex_search(query, utility);
}

}  // namespace

bool is_own_statement(const std::string& query)
{
  static const std::regex own_prefix(
      R"(^\s*(/\*.*?\*/\s*)*(EXPLAIN|PREPARE|EXECUTE|DEALLOCATE|SET|RESET|SHOW|BEGIN|START|COMMIT|ROLLBACK|END|ABORT|SAVEPOINT|RELEASE|DISCARD|LISTEN|UNLISTEN)\b)",
      std::regex::icase);
  static const std::regex own_text(
      R"(hypopg_|\bhypopg\s*\(|pgadvisor_stmt_|\bpg_stat_statements\b|\bpg_stat_[a-z_]+\b|\bpg_catalog\.|\binformation_schema\.|\bpg_(class|namespace|index|attribute|stats|proc|extension|database|prepared_statements|settings|am|opclass|constraint|type|collation)\b)",
      std::regex::icase);
  return std::regex_search(query, own_prefix) || std::regex_search(query, own_text);
}

model::Result<std::vector<StatStatementsRow>> read_stat_statements(Session& session,
                                                                  const StatStatementsFilter& filter)
{
  std::vector<StatStatementsRow> out;
  try {
    pqxx::read_transaction txn(session.conn());
    const std::string schema = extension_schema(txn);
    if (schema.empty())
      return model::make_error(model::ErrorKind::refused,
                               "pg_stat_statements is not installed in database \"" + session.database() + "\"",
                               "CREATE EXTENSION pg_stat_statements (and load it with shared_preload_libraries)");
    const int version = session.server_version_num();
    const std::string total = version >= 130000 ? "total_exec_time" : "total_time";
    const std::string stddev = version >= 130000 ? "stddev_exec_time" : "stddev_time";
    const std::string toplevel = version >= 140000 ? " AND s.toplevel" : "";
    // One row per queryid: pg_stat_statements keeps one per (user, database, queryid).
    const std::string sql =
        std::string("SELECT s.queryid::text, min(s.query), sum(s.calls)::float8, sum(s.") + total +
        ")::float8, (sum(s." + total + ") / nullif(sum(s.calls), 0))::float8, max(s." + stddev +
        ")::float8, sum(s.rows)::float8, sum(s.shared_blks_hit)::int8, sum(s.shared_blks_read)::int8, "
        "sum(s.temp_blks_written)::int8 FROM " + txn.quote_name(schema) +
        ".pg_stat_statements s WHERE s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = "
        "current_database()) AND s.query IS NOT NULL" + toplevel + " GROUP BY s.queryid HAVING sum(s.calls) >= $1 "
        "ORDER BY sum(s." + total + ") DESC LIMIT $2";
    const auto rows = txn.exec_params(sql, filter.min_calls,
                                      static_cast<long long>(filter.top * overfetch + 50));
    for (const auto& row : rows) {
      StatStatementsRow item;
      item.query = row[1].as<std::string>();
      if (is_own_statement(item.query) || is_utility(item.query))
        continue;
      item.stats.queryid = row[0].is_null() ? std::string() : row[0].as<std::string>();
      item.stats.calls = row[2].as<double>();
      item.stats.total_ms = row[3].as<double>();
      item.stats.mean_ms = row[4].is_null() ? 0 : row[4].as<double>();
      item.stats.stddev_ms = row[5].as<double>();
      item.stats.rows = row[6].as<double>();
      item.stats.shared_blks_hit = row[7].as<std::int64_t>();
      item.stats.shared_blks_read = row[8].as<std::int64_t>();
      item.stats.temp_blks_written = row[9].as<std::int64_t>();
      out.push_back(std::move(item));
      if (out.size() >= filter.top)
        break;
    }
  } catch (...) {
    return current_exception_to_error(session, ErrorContext{session.settings().statement_timeout_ms,
                                                            session.settings().lock_timeout_ms, "pg_stat_statements"});
  }
  return out;
}

model::Result<std::optional<double>> stats_window_seconds(Session& session)
{
  try {
    pqxx::read_transaction txn(session.conn());
    const auto row = txn.exec1(
        "SELECT extract(epoch FROM now() - stats_reset)::float8 FROM pg_catalog.pg_stat_database "
        "WHERE datname = current_database()");
    if (row[0].is_null())
      return std::optional<double>();
    return std::optional<double>(row[0].as<double>());
  } catch (...) {
    return current_exception_to_error(session, ErrorContext{session.settings().statement_timeout_ms,
                                                            session.settings().lock_timeout_ms, {}});
  }
}

std::optional<double> stat_statements_window_seconds(Session& session)
{
  if (session.server_version_num() < 140000)
    return std::nullopt;
  try {
    pqxx::read_transaction txn(session.conn());
    const std::string schema = extension_schema(txn);
    if (schema.empty())
      return std::nullopt;
    const auto row = txn.exec1("SELECT extract(epoch FROM now() - stats_reset)::float8 FROM " + txn.quote_name(schema) +
                               ".pg_stat_statements_info");
    if (row[0].is_null())
      return std::nullopt;
    return row[0].as<double>();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

model::Result<std::vector<std::string>> read_activity_samples(Session& session)
{
  std::vector<std::string> out;
  try {
    pqxx::read_transaction txn(session.conn());
    const auto rows = txn.exec(
        "SELECT query FROM pg_catalog.pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
        "AND coalesce(application_name, '') <> 'pgadvisor' AND query <> ''");
    for (const auto& row : rows) {
      if (row[0].is_null())
        continue;
      std::string query = row[0].as<std::string>();
      if (!is_own_statement(query))
        out.push_back(std::move(query));
    }
  } catch (...) {
    return current_exception_to_error(session, ErrorContext{session.settings().statement_timeout_ms,
                                                            session.settings().lock_timeout_ms, "pg_stat_activity"});
  }
  return out;
}

}  // namespace connectors::pg
