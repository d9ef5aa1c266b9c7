#pragma once
// One sample of the server's cumulative statistics, as the sampler read it: plain data, no
// libpq. Every counter is cumulative (since the entry was created or the statistics were
// reset); heuristics::detection turns two samples into a window of deltas.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace model {

//! Identity of one pg_stat_statements entry. PostgreSQL keys its hash table by exactly these.
struct StatementKey {
  std::int64_t userid = 0;   //!< role oid
  std::int64_t dbid = 0;     //!< database oid
  std::int64_t queryid = 0;  //!< signed 64-bit, as pg_stat_statements shows it
  bool toplevel = true;      //!< false: run inside a function (PostgreSQL 14+; older: always true)

  bool operator==(const StatementKey&) const = default;
};

struct StatementKeyHash {
  std::size_t operator()(const StatementKey& key) const noexcept
  {
    // Mix the four fields; queryid is already a good hash, the others only split it.
    std::uint64_t h = static_cast<std::uint64_t>(key.queryid);
    h ^= static_cast<std::uint64_t>(key.userid) * 0x9E3779B97F4A7C15ULL;
    h ^= static_cast<std::uint64_t>(key.dbid) * 0xC2B2AE3D27D4EB4FULL + (key.toplevel ? 1 : 0);
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};

//! Cumulative counters of one pg_stat_statements entry. Times in milliseconds. A column the
//! server's version lacks reads as 0 (e.g. total_plan_ms before 13, wal_bytes before 13).
struct StatementCounters {
  StatementKey key;
  std::int64_t calls = 0;
  double total_exec_ms = 0;
  double total_plan_ms = 0;
  //! Σ (exec time)² in ms², rebuilt from mean and stddev (calls × (stddev² + mean²)) so that a
  //! window's stddev can be computed from two samples.
  double sum_sq_exec_ms = 0;
  std::int64_t rows = 0;
  std::int64_t shared_blks_hit = 0;
  std::int64_t shared_blks_read = 0;
  std::int64_t shared_blks_dirtied = 0;
  std::int64_t shared_blks_written = 0;
  std::int64_t temp_blks_read = 0;
  std::int64_t temp_blks_written = 0;
  double blk_read_ms = 0;   //!< blk_read_time (≤16) or shared_blk_read_time (17)
  double blk_write_ms = 0;  //!< blk_write_time (≤16) or shared_blk_write_time (17)
  double wal_bytes = 0;
  //! stats_since (PostgreSQL 17) as Unix seconds: changes when the entry was re-created.
  std::optional<double> stats_since;
};

//! pg_stat_statements_info (PostgreSQL 14+); absent on older servers.
struct StatementsInfo {
  std::int64_t dealloc = 0;   //!< entries evicted since the last full reset
  double stats_reset = 0;     //!< Unix seconds of the last full reset
};

//! pg_stat_user_tables, one table.
struct TableCounters {
  std::int64_t relid = 0;
  std::string schema;
  std::string name;
  std::int64_t seq_scan = 0;
  std::int64_t seq_tup_read = 0;
  std::int64_t idx_scan = 0;       //!< NULL (no index) reads as 0
  std::int64_t idx_tup_fetch = 0;
  std::int64_t n_tup_ins = 0;
  std::int64_t n_tup_upd = 0;
  std::int64_t n_tup_del = 0;
  std::int64_t n_tup_hot_upd = 0;
  std::int64_t n_live_tup = 0;
  std::int64_t n_dead_tup = 0;
  std::int64_t n_mod_since_analyze = 0;
  std::int64_t vacuum_count = 0;
  std::int64_t autovacuum_count = 0;
  std::int64_t analyze_count = 0;
  std::int64_t autoanalyze_count = 0;
};

//! pg_stat_user_indexes, one index.
struct IndexCounters {
  std::int64_t relid = 0;
  std::int64_t indexrelid = 0;
  std::string schema;
  std::string table;
  std::string name;
  std::int64_t idx_scan = 0;
  std::int64_t idx_tup_read = 0;
  std::int64_t idx_tup_fetch = 0;
};

//! pg_stat_database, the sampled database.
struct DatabaseCounters {
  std::int64_t datid = 0;
  std::string name;
  std::int64_t xact_commit = 0;
  std::int64_t xact_rollback = 0;
  std::int64_t blks_read = 0;
  std::int64_t blks_hit = 0;
  std::int64_t tup_returned = 0;
  std::int64_t tup_fetched = 0;
  std::int64_t tup_inserted = 0;
  std::int64_t tup_updated = 0;
  std::int64_t tup_deleted = 0;
  std::int64_t temp_files = 0;
  std::int64_t temp_bytes = 0;
  std::int64_t deadlocks = 0;
  double blk_read_ms = 0;
  double blk_write_ms = 0;
  std::optional<double> stats_reset;  //!< Unix seconds; NULL when never reset
};

//! Normalised text of a statement, fetched the first time its key was seen.
struct StatementText {
  StatementKey key;
  std::string query;
};

struct Sample {
  double taken_at = 0;             //!< server clock_timestamp(), Unix seconds
  double postmaster_start = 0;     //!< pg_postmaster_start_time(): changes on a restart
  int server_version_num = 0;      //!< e.g. 150004
  std::int64_t own_userid = 0;     //!< the sampling role (excluded from `statements` by default)
  std::vector<StatementCounters> statements;
  std::optional<StatementsInfo> info;
  //! Texts of keys this sampler had not seen before (only those: texts are fetched once).
  std::vector<StatementText> new_texts;
  //! Entries skipped because they are pgadvisor's own (its role, or its marker comment).
  std::size_t excluded_own = 0;
  std::vector<TableCounters> tables;
  std::vector<IndexCounters> indexes;
  std::optional<DatabaseCounters> database;
};

}  // namespace model
