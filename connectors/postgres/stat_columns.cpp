#include "connectors/postgres/stat_columns.hpp"

#include <algorithm>

namespace connectors::pg {

namespace {

//! The first of `names` the view has; empty when none.
std::string first_present(const std::vector<std::string>& attributes, std::initializer_list<const char*> names)
{
  for (const char* name : names)
    if (std::find(attributes.begin(), attributes.end(), name) != attributes.end())
      return name;
  return {};
}

//! `column` as float8, or the literal when the server has no such column.
std::string column_or(const std::string& column, const char* absent)
{
  return column.empty() ? std::string(absent) : quote_identifier(column) + "::float8";
}

std::string toplevel_column(const StatementColumns& columns)
{
  return columns.has_toplevel ? std::string("toplevel") : std::string("true");
}

}  // namespace

std::string quote_identifier(const std::string& name)
{
  std::string out("\"");
  for (const char c : name) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
  return out;
}

model::Result<StatementColumns> map_statement_columns(const std::vector<std::string>& attributes)
{
  for (const char* required : {"userid", "dbid", "queryid", "calls", "rows", "shared_blks_hit", "shared_blks_read",
                               "shared_blks_dirtied", "shared_blks_written", "temp_blks_read", "temp_blks_written"})
    if (std::find(attributes.begin(), attributes.end(), required) == attributes.end())
      return model::make_error(model::ErrorKind::invalid_input,
                               std::string("pg_stat_statements has no column \"") + required + "\"",
                               "update the pg_stat_statements extension (ALTER EXTENSION pg_stat_statements UPDATE)");
  StatementColumns columns;
  // PostgreSQL 13 split execution from planning time and renamed total_time to total_exec_time.
  columns.total_exec_time = first_present(attributes, {"total_exec_time", "total_time"});
  columns.mean_exec_time = first_present(attributes, {"mean_exec_time", "mean_time"});
  columns.stddev_exec_time = first_present(attributes, {"stddev_exec_time", "stddev_time"});
  columns.total_plan_time = first_present(attributes, {"total_plan_time"});
  // PostgreSQL 17 renamed blk_*_time to shared_blk_*_time (and added local_blk_*_time).
  columns.blk_read_time = first_present(attributes, {"shared_blk_read_time", "blk_read_time"});
  columns.blk_write_time = first_present(attributes, {"shared_blk_write_time", "blk_write_time"});
  columns.wal_bytes = first_present(attributes, {"wal_bytes"});
  columns.stats_since = first_present(attributes, {"stats_since"});
  columns.has_toplevel = !first_present(attributes, {"toplevel"}).empty();
  if (columns.total_exec_time.empty())
    return model::make_error(model::ErrorKind::invalid_input,
                             "pg_stat_statements has neither total_exec_time nor total_time",
                             "update the pg_stat_statements extension (ALTER EXTENSION pg_stat_statements UPDATE)");
  return columns;
}

std::string build_counters_query(const StatementColumns& columns, const std::string& schema)
{
  std::string sql("/* pgadvisor */ SELECT userid::int8, dbid::int8, queryid, ");
  sql += toplevel_column(columns);
  sql += ", calls, " + column_or(columns.total_exec_time, "0");
  sql += ", " + column_or(columns.total_plan_time, "0");
  sql += ", " + column_or(columns.mean_exec_time, "0");
  sql += ", " + column_or(columns.stddev_exec_time, "0");
  sql += ", rows, shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written, temp_blks_read, "
         "temp_blks_written";
  sql += ", " + column_or(columns.blk_read_time, "0");
  sql += ", " + column_or(columns.blk_write_time, "0");
  sql += ", " + column_or(columns.wal_bytes, "0");
  sql += columns.stats_since.empty() ? std::string(", NULL::float8")
                                     : ", extract(epoch FROM " + quote_identifier(columns.stats_since) + ")::float8";
  sql += " FROM " + quote_identifier(schema) + ".pg_stat_statements(false)";
  // queryid is NULL for rows the role may not see (no pg_read_all_stats): useless to us.
  sql += " WHERE queryid IS NOT NULL AND ($1::int8 = 0 OR dbid::int8 = $1::int8)";
  return sql;
}

std::string build_texts_query(const StatementColumns& columns, const std::string& schema, std::size_t max_bytes)
{
  std::string sql("/* pgadvisor */ SELECT userid::int8, dbid::int8, queryid, ");
  sql += toplevel_column(columns);
  // left() counts characters, not bytes: a safe upper bound for the byte limit.
  sql += ", left(query, " + std::to_string(max_bytes) + ")";
  sql += " FROM " + quote_identifier(schema) + ".pg_stat_statements(true)";
  sql += " WHERE queryid = ANY($1::int8[]) AND ($2::int8 = 0 OR dbid::int8 = $2::int8)";
  return sql;
}

}  // namespace connectors::pg
