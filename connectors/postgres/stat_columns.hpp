#pragma once
// pg_stat_statements' columns changed names across PostgreSQL 13-17: which ones this server has,
// and the counters query built from them. Pure text work, no connection.

#include <cstddef>
#include <string>
#include <vector>

#include "model/result.hpp"

namespace connectors::pg {

//! What this server's pg_stat_statements calls its columns. Empty name: the column is absent.
struct StatementColumns {
  std::string total_exec_time;   //!< total_exec_time (13+) or total_time
  std::string mean_exec_time;    //!< mean_exec_time or mean_time
  std::string stddev_exec_time;  //!< stddev_exec_time or stddev_time
  std::string total_plan_time;   //!< 13+
  std::string blk_read_time;     //!< blk_read_time (≤16) or shared_blk_read_time (17)
  std::string blk_write_time;    //!< blk_write_time (≤16) or shared_blk_write_time (17)
  std::string wal_bytes;         //!< 13+
  std::string stats_since;       //!< 17+
  bool has_toplevel = false;     //!< 14+
};

//! Maps the view's attribute names to the columns the sampler reads. Pure.
//! Error (invalid_input) naming the missing column when one the sampler cannot do without
//! (userid, dbid, queryid, calls, rows, a total time) is absent.
model::Result<StatementColumns> map_statement_columns(const std::vector<std::string>& attributes);

//! The counters query for those columns, reading `schema`.pg_stat_statements(false) (no
//! texts), starting with the own-query marker. Parameter $1: the dbid to keep (0: all).
//! Result columns, in order: userid, dbid, queryid, toplevel, calls, total_exec, total_plan,
//! mean_exec, stddev_exec, rows, shared_blks_hit/read/dirtied/written, temp_blks_read/written,
//! blk_read, blk_write, wal_bytes (float8), stats_since (epoch or NULL). Absent columns read 0.
std::string build_counters_query(const StatementColumns& columns, const std::string& schema);

//! The text query: userid, dbid, queryid, toplevel, left(query, max_bytes) from
//! `schema`.pg_stat_statements(true) for the queryids in $1 (a bigint[] literal) and the dbid
//! in $2 (0: all). Pure.
std::string build_texts_query(const StatementColumns& columns, const std::string& schema, std::size_t max_bytes);

//! A double-quoted SQL identifier (embedded quotes doubled).
std::string quote_identifier(const std::string& name);

}  // namespace connectors::pg
