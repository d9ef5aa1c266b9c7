#pragma once
// The daemon's SQLite history: windows per fingerprint with hourly roll-ups, statement texts,
// plans, findings and events (recommendations: recommendation_store.hpp). One connection per
// Store; several processes may open the same file (WAL, busy_timeout).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/store/sqlite_db.hpp"
#include "connectors/store/store_types.hpp"
#include "model/result.hpp"

namespace connectors::store {

struct StoreOptions {
  int busy_timeout_ms = 5000;
};

//! Every fallible call returns its error (ErrorKind::server with SQLite's message, e.g. "database
//! or disk is full") and never throws; nullopt means done.
class HistoryStore {
public:
  //! Opens or creates the store and runs the missing schema migrations.
  static model::Result<std::unique_ptr<HistoryStore>> open(const std::string& path, StoreOptions options = {});

  //! A transaction around `work`: committed when it returns nullopt, rolled back otherwise. A
  //! crash inside leaves the store as it was before.
  template <typename F>
  std::optional<model::Error> transaction(F&& work)
  {
    if (auto error = m_db->exec("BEGIN IMMEDIATE"))
      return error;
    std::optional<model::Error> error = work();
    if (!error)
      error = m_db->exec("COMMIT");
    if (error)
      m_db->exec("ROLLBACK");
    return error;
  }

  model::Result<int> schema_version();
  //! PRAGMA integrity_check: true when "ok".
  model::Result<bool> integrity_ok();

  std::optional<model::Error> add_windows(const std::vector<WindowRecord>& windows);
  //! The fingerprint's most recent `limit` windows, oldest first.
  model::Result<std::vector<WindowRecord>> windows(const std::string& target, const std::string& fingerprint,
                                                   int limit);
  //! The fingerprint's windows that lie wholly inside [from, to], oldest first (a window that
  //! straddles either end is left out: it belongs to neither side of a change).
  model::Result<std::vector<WindowRecord>> windows_between(const std::string& target, const std::string& fingerprint,
                                                           double from, double to);
  //! Fingerprints of `target` with a window ending at or after `since`.
  model::Result<std::vector<std::string>> active_fingerprints(const std::string& target, double since);
  model::Result<std::vector<HourlyRecord>> hourly(const std::string& target, const std::string& fingerprint);

  std::optional<model::Error> put_statement(const std::string& target, const std::string& fingerprint,
                                            const std::string& query, double now);
  model::Result<std::optional<std::string>> statement(const std::string& target, const std::string& fingerprint);

  //! Records a plan; returns true when this hash is new for the fingerprint.
  model::Result<bool> record_plan(const std::string& target, const std::string& fingerprint,
                                  const std::string& plan_hash, const std::string& plan_json, double now);
  model::Result<std::vector<PlanSighting>> plans(const std::string& target, const std::string& fingerprint);

  std::optional<model::Error> add_finding(const std::string& target, const std::string& fingerprint,
                                          const std::string& rule_id, const std::string& title,
                                          const std::string& detail, double now);
  std::optional<model::Error> add_event(const EventRecord& event);
  model::Result<std::vector<EventRecord>> events(const std::string& target, int limit);

  //! Marks a target's cycle complete (the JSON file and readers use it).
  std::optional<model::Error> complete_cycle(const std::string& target, double now, int windows);
  //! When the target's last cycle completed, if ever.
  model::Result<std::optional<double>> last_cycle(const std::string& target);

  //! The last cumulative sample of a target (opaque text), so that a restart or the next
  //! `--once` run computes its window against it instead of starting from nothing.
  std::optional<model::Error> save_baseline(const std::string& target, double now, const std::string& sample);
  model::Result<std::optional<std::string>> baseline(const std::string& target);

  //! Deletes windows older than `raw_retention_s`, and roll-ups, findings, events, plans,
  //! texts and table snapshots older than `hourly_retention_s`; returns freed pages to the file
  //! system so the disk use stays bounded. Recommendations are kept (a dismissed one must stay dismissed).
  std::optional<model::Error> prune(double now, double raw_retention_s, double hourly_retention_s);

  //! The connection, for recommendation_store.hpp.
  Database& database() { return *m_db; }

private:
  explicit HistoryStore(std::unique_ptr<Database> db) : m_db(std::move(db)) {}
  std::unique_ptr<Database> m_db;
};

}  // namespace connectors::store
