#include "connectors/store/schema.hpp"

#include <array>
#include <string>

namespace connectors::store {

namespace {

// Times: `*_at` columns are Unix seconds (REAL); first_seen/last_seen of recommendations are
// ISO 8601 UTC text because they go out as they are in the JSON contract.
constexpr std::array<std::string_view, 2> all_migrations{
    R"sql(
CREATE TABLE windows (
  target TEXT NOT NULL, fingerprint TEXT NOT NULL,
  start_at REAL NOT NULL, end_at REAL NOT NULL,
  calls REAL NOT NULL, total_ms REAL NOT NULL, mean_ms REAL NOT NULL, stddev_ms REAL NOT NULL,
  rows REAL NOT NULL, shared_blks_hit REAL NOT NULL, shared_blks_read REAL NOT NULL,
  temp_blks_read REAL NOT NULL, temp_blks_written REAL NOT NULL,
  clean INTEGER NOT NULL);
CREATE INDEX windows_by_fingerprint ON windows (target, fingerprint, end_at);
CREATE INDEX windows_by_end ON windows (end_at);
CREATE TABLE hourly (
  target TEXT NOT NULL, fingerprint TEXT NOT NULL, hour REAL NOT NULL,
  calls REAL NOT NULL, total_ms REAL NOT NULL, sum_sq_ms REAL NOT NULL, rows REAL NOT NULL,
  shared_blks_hit REAL NOT NULL, shared_blks_read REAL NOT NULL, temp_blks_written REAL NOT NULL,
  PRIMARY KEY (target, fingerprint, hour));
CREATE INDEX hourly_by_hour ON hourly (hour);
CREATE TABLE statements (
  target TEXT NOT NULL, fingerprint TEXT NOT NULL, query TEXT NOT NULL,
  first_seen_at REAL NOT NULL, last_seen_at REAL NOT NULL,
  PRIMARY KEY (target, fingerprint));
CREATE TABLE plans (
  target TEXT NOT NULL, fingerprint TEXT NOT NULL, plan_hash TEXT NOT NULL, plan_json TEXT NOT NULL,
  first_seen_at REAL NOT NULL, last_seen_at REAL NOT NULL,
  PRIMARY KEY (target, fingerprint, plan_hash));
CREATE TABLE findings (
  id INTEGER PRIMARY KEY, target TEXT NOT NULL, fingerprint TEXT NOT NULL, rule_id TEXT NOT NULL,
  title TEXT NOT NULL, detail TEXT NOT NULL, seen_at REAL NOT NULL);
CREATE INDEX findings_by_time ON findings (seen_at);
CREATE TABLE recommendations (
  id TEXT PRIMARY KEY, target TEXT NOT NULL, kind TEXT NOT NULL, statement TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open','applied','verified','regressed','dismissed','resolved')),
  score REAL NOT NULL, ms_saved_per_day REAL NOT NULL, fingerprints TEXT NOT NULL,
  document TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
  status_changed TEXT NOT NULL);
CREATE INDEX recommendations_by_status ON recommendations (status);
CREATE TABLE events (
  id INTEGER PRIMARY KEY, at REAL NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL);
CREATE INDEX events_by_time ON events (at);
CREATE TABLE cycles (
  target TEXT PRIMARY KEY, completed_at REAL NOT NULL, windows INTEGER NOT NULL);
CREATE TABLE baselines (
  target TEXT PRIMARY KEY, saved_at REAL NOT NULL, sample TEXT NOT NULL);
)sql",
    // 2: verification (issue 5). SQLite cannot alter a CHECK constraint, so the recommendations
    // table is rebuilt with the new status no_effect, when it was applied (Unix seconds, the
    // split point of the before/after comparison) and the verification's numbers (JSON).
    // table_snapshots keeps pg_stat_user_tables figures over time for the hypotheses (growth,
    // write rate, statistics age), at most one row per table and hour.
    R"sql(
CREATE TABLE recommendations_v2 (
  id TEXT PRIMARY KEY, target TEXT NOT NULL, kind TEXT NOT NULL, statement TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open','applied','verified','no_effect','regressed','dismissed','resolved')),
  score REAL NOT NULL, ms_saved_per_day REAL NOT NULL, fingerprints TEXT NOT NULL,
  document TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
  status_changed TEXT NOT NULL, applied_at REAL, verification TEXT NOT NULL DEFAULT '');
INSERT INTO recommendations_v2 (id, target, kind, statement, status, score, ms_saved_per_day, fingerprints,
                                document, first_seen, last_seen, status_changed)
  SELECT id, target, kind, statement, status, score, ms_saved_per_day, fingerprints,
         document, first_seen, last_seen, status_changed FROM recommendations;
DROP TABLE recommendations;
ALTER TABLE recommendations_v2 RENAME TO recommendations;
CREATE INDEX recommendations_by_status ON recommendations (status);
CREATE TABLE table_snapshots (
  target TEXT NOT NULL, schema_name TEXT NOT NULL, table_name TEXT NOT NULL, at REAL NOT NULL,
  n_live_tup REAL NOT NULL, n_dead_tup REAL NOT NULL, n_mod_since_analyze REAL NOT NULL,
  writes REAL NOT NULL, analyze_count REAL NOT NULL,
  PRIMARY KEY (target, schema_name, table_name, at));
CREATE INDEX table_snapshots_by_time ON table_snapshots (at);
)sql",
};

}  // namespace

std::span<const std::string_view> migrations() { return all_migrations; }

int latest_schema_version() { return static_cast<int>(all_migrations.size()); }

model::Result<int> schema_version(Database& db)
{
  auto stmt = db.prepare("PRAGMA user_version");
  if (!stmt)
    return stmt.error();
  auto row = stmt->step();
  if (!row)
    return row.error();
  return static_cast<int>(stmt->integer(0));
}

std::optional<model::Error> migrate(Database& db)
{
  auto version = schema_version(db);
  if (!version)
    return version.error();
  if (*version > latest_schema_version())
    return model::make_error(model::ErrorKind::refused,
                             "the state file " + db.path() + " has schema version " + std::to_string(*version) +
                                 ", newer than this pgadvisor (" + std::to_string(latest_schema_version()) + ")",
                             "run the newer pgadvisor, or move the state file away");
  while (*version < latest_schema_version()) {
    // BEGIN IMMEDIATE: a second process migrating at the same time waits, then re-reads the
    // version inside the transaction and finds the work done.
    if (auto error = db.exec("BEGIN IMMEDIATE"))
      return error;
    version = schema_version(db);
    if (!version || *version >= latest_schema_version()) {
      db.exec("ROLLBACK");
      return version ? std::nullopt : std::optional<model::Error>(version.error());
    }
    const auto v = static_cast<std::size_t>(*version);
    const std::string sql = std::string(all_migrations[v]) + "\nPRAGMA user_version = " + std::to_string(v + 1) + ";";
    if (auto error = db.exec(sql)) {
      db.exec("ROLLBACK");
      return error;
    }
    if (auto error = db.exec("COMMIT")) {
      db.exec("ROLLBACK");
      return error;
    }
    version = static_cast<int>(v + 1);
  }
  return std::nullopt;
}

}  // namespace connectors::store
