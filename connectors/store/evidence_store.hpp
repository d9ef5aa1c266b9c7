#pragma once
// What the root-cause hypotheses read from the history store besides windows: table
// snapshots over time (growth, write rate, statistics age) and the stored plans of a
// fingerprint (the plan before a change). SQL only; the daemon decides when to call it.

#include <optional>
#include <string>
#include <vector>

#include "connectors/store/sqlite_db.hpp"
#include "model/result.hpp"
#include "model/sample.hpp"

namespace connectors::store {

//! One row of table_snapshots: pg_stat_user_tables figures of one table at one time.
struct TableSnapshot {
  std::string target;
  std::string schema_name;
  std::string table_name;
  double at = 0;  //!< Unix seconds
  double n_live_tup = 0;
  double n_dead_tup = 0;
  double n_mod_since_analyze = 0;
  double writes = 0;         //!< n_tup_ins + n_tup_upd + n_tup_del, cumulative
  double analyze_count = 0;  //!< analyze_count + autoanalyze_count, cumulative
};

//! One stored plan of a fingerprint.
struct StoredPlan {
  std::string plan_hash;
  std::string plan_json;  //!< the EXPLAIN JSON document as recorded
  double first_seen_at = 0;
  double last_seen_at = 0;
};

//! One row per table of `tables` at `at` (INSERT OR REPLACE on (target, schema, table, at)).
//! Opens no transaction: the caller's cycle transaction holds it. nullopt: done.
std::optional<model::Error> record_table_snapshots(Database& db, const std::string& target, double at,
                                                   const std::vector<model::TableCounters>& tables);

//! The latest snapshot of the table taken at or before `at`; when there is none, the earliest
//! one after it (the closest thing to "before" the store has); nullopt when the table has no
//! snapshot at all.
model::Result<std::optional<TableSnapshot>> table_snapshot_before(Database& db, const std::string& target,
                                                                  const std::string& schema_name,
                                                                  const std::string& table_name, double at);

//! Deletes the snapshots taken before `before`; returns the error, nullopt when done.
std::optional<model::Error> prune_table_snapshots(Database& db, double before);

//! The stored plan of (target, fingerprint, plan_hash); nullopt when that hash was never recorded.
model::Result<std::optional<StoredPlan>> stored_plan(Database& db, const std::string& target,
                                                     const std::string& fingerprint, const std::string& plan_hash);

//! The most recently seen (by last_seen_at) stored plan of the fingerprint whose hash is not
//! `except_hash`: the plan before a change, whether or not the current plan is recorded yet.
//! nullopt when the fingerprint has no other plan.
model::Result<std::optional<StoredPlan>> latest_other_plan(Database& db, const std::string& target,
                                                           const std::string& fingerprint,
                                                           const std::string& except_hash);

}  // namespace connectors::store
