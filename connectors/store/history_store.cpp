#include "connectors/store/history_store.hpp"

#include <cmath>

#include "connectors/store/schema.hpp"

namespace connectors::store {

namespace {

// Unwraps a Result into `name` or returns its error from the enclosing function.
#define STORE_TRY(name, expr)      \
  auto name = (expr);              \
  if (!name)                       \
    return name.error()

}  // namespace

bool is_valid_status(const std::string& status)
{
  return status == "open" || status == "applied" || status == "verified" || status == "no_effect" ||
         status == "regressed" || status == "dismissed" || status == "resolved";
}

model::Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const std::string& path, StoreOptions options)
{
  STORE_TRY(db, Database::open(path, options.busy_timeout_ms));
  if (auto error = migrate(**db))
    return *error;
  return std::unique_ptr<HistoryStore>(new HistoryStore(std::move(*db)));
}

model::Result<int> HistoryStore::schema_version() { return store::schema_version(*m_db); }

model::Result<bool> HistoryStore::integrity_ok()
{
  STORE_TRY(stmt, m_db->prepare("PRAGMA integrity_check"));
  STORE_TRY(row, stmt->step());
  return *row && stmt->text(0) == "ok";
}

std::optional<model::Error> HistoryStore::add_windows(const std::vector<WindowRecord>& windows)
{
  STORE_TRY(insert, m_db->prepare(
                        "INSERT INTO windows VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
  // The roll-up is kept current with every window, so pruning raw windows is a plain delete.
  STORE_TRY(rollup, m_db->prepare(R"sql(
    INSERT INTO hourly VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
    ON CONFLICT (target, fingerprint, hour) DO UPDATE SET
      calls = calls + excluded.calls, total_ms = total_ms + excluded.total_ms,
      sum_sq_ms = sum_sq_ms + excluded.sum_sq_ms, rows = rows + excluded.rows,
      shared_blks_hit = shared_blks_hit + excluded.shared_blks_hit,
      shared_blks_read = shared_blks_read + excluded.shared_blks_read,
      temp_blks_written = temp_blks_written + excluded.temp_blks_written)sql"));
  for (const auto& w : windows) {
    insert->bind(1, w.target).bind(2, w.fingerprint).bind(3, w.start_at).bind(4, w.end_at).bind(5, w.calls);
    insert->bind(6, w.total_ms).bind(7, w.mean_ms).bind(8, w.stddev_ms).bind(9, w.rows);
    insert->bind(10, w.shared_blks_hit).bind(11, w.shared_blks_read).bind(12, w.temp_blks_read);
    insert->bind(13, w.temp_blks_written).bind(14, std::int64_t{w.clean ? 1 : 0});
    if (auto error = insert->run())
      return error;
    insert->reset();
    const double hour = std::floor(w.end_at / 3600) * 3600;
    // Σx² = calls × (stddev² + mean²): lets the roll-up give back a correct stddev.
    const double sum_sq = w.calls * (w.stddev_ms * w.stddev_ms + w.mean_ms * w.mean_ms);
    rollup->bind(1, w.target).bind(2, w.fingerprint).bind(3, hour).bind(4, w.calls).bind(5, w.total_ms);
    rollup->bind(6, sum_sq).bind(7, w.rows).bind(8, w.shared_blks_hit).bind(9, w.shared_blks_read);
    rollup->bind(10, w.temp_blks_written);
    if (auto error = rollup->run())
      return error;
    rollup->reset();
  }
  return std::nullopt;
}

namespace {

model::Result<std::vector<WindowRecord>> read_windows(Statement& stmt)
{
  std::vector<WindowRecord> out;
  for (;;) {
    auto row = stmt.step();
    if (!row)
      return row.error();
    if (!*row)
      break;
    WindowRecord w;
    w.target = stmt.text(0);
    w.fingerprint = stmt.text(1);
    w.start_at = stmt.real(2);
    w.end_at = stmt.real(3);
    w.calls = stmt.real(4);
    w.total_ms = stmt.real(5);
    w.mean_ms = stmt.real(6);
    w.stddev_ms = stmt.real(7);
    w.rows = stmt.real(8);
    w.shared_blks_hit = stmt.real(9);
    w.shared_blks_read = stmt.real(10);
    w.temp_blks_read = stmt.real(11);
    w.temp_blks_written = stmt.real(12);
    w.clean = stmt.integer(13) != 0;
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

model::Result<std::vector<WindowRecord>> HistoryStore::windows(const std::string& target,
                                                               const std::string& fingerprint, int limit)
{
  STORE_TRY(stmt, m_db->prepare("SELECT * FROM (SELECT * FROM windows WHERE target = ?1 AND fingerprint = ?2"
                                " ORDER BY end_at DESC LIMIT ?3) ORDER BY end_at"));
  stmt->bind(1, target).bind(2, fingerprint).bind(3, std::int64_t{limit});
  return read_windows(*stmt);
}

model::Result<std::vector<WindowRecord>> HistoryStore::windows_between(const std::string& target,
                                                                       const std::string& fingerprint, double from,
                                                                       double to)
{
  STORE_TRY(stmt, m_db->prepare("SELECT * FROM windows WHERE target = ?1 AND fingerprint = ?2"
                                " AND start_at >= ?3 AND end_at <= ?4 ORDER BY end_at"));
  stmt->bind(1, target).bind(2, fingerprint).bind(3, from).bind(4, to);
  return read_windows(*stmt);
}

model::Result<std::vector<std::string>> HistoryStore::active_fingerprints(const std::string& target, double since)
{
  STORE_TRY(stmt, m_db->prepare("SELECT DISTINCT fingerprint FROM windows WHERE target = ?1 AND end_at >= ?2"));
  stmt->bind(1, target).bind(2, since);
  std::vector<std::string> out;
  for (;;) {
    STORE_TRY(row, stmt->step());
    if (!*row)
      break;
    out.push_back(stmt->text(0));
  }
  return out;
}

model::Result<std::vector<HourlyRecord>> HistoryStore::hourly(const std::string& target, const std::string& fingerprint)
{
  STORE_TRY(stmt, m_db->prepare("SELECT fingerprint, hour, calls, total_ms, sum_sq_ms FROM hourly"
                                " WHERE target = ?1 AND fingerprint = ?2 ORDER BY hour"));
  stmt->bind(1, target).bind(2, fingerprint);
  std::vector<HourlyRecord> out;
  for (;;) {
    STORE_TRY(row, stmt->step());
    if (!*row)
      break;
    HourlyRecord h{stmt->text(0), stmt->real(1), stmt->real(2), stmt->real(3), 0};
    if (h.calls > 0) {
      const double mean = h.total_ms / h.calls;
      h.stddev_ms = std::sqrt(std::max(0.0, stmt->real(4) / h.calls - mean * mean));
    }
    out.push_back(std::move(h));
  }
  return out;
}

std::optional<model::Error> HistoryStore::put_statement(const std::string& target, const std::string& fingerprint,
                                                        const std::string& query, double now)
{
  STORE_TRY(stmt, m_db->prepare("INSERT INTO statements VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (target, fingerprint)"
                                " DO UPDATE SET query = excluded.query, last_seen_at = excluded.last_seen_at"));
  stmt->bind(1, target).bind(2, fingerprint).bind(3, query).bind(4, now);
  return stmt->run();
}

model::Result<std::optional<std::string>> HistoryStore::statement(const std::string& target,
                                                                  const std::string& fingerprint)
{
  STORE_TRY(stmt, m_db->prepare("SELECT query FROM statements WHERE target = ?1 AND fingerprint = ?2"));
  stmt->bind(1, target).bind(2, fingerprint);
  STORE_TRY(row, stmt->step());
  if (!*row)
    return std::optional<std::string>();
  return std::optional<std::string>(stmt->text(0));
}

model::Result<bool> HistoryStore::record_plan(const std::string& target, const std::string& fingerprint,
                                              const std::string& plan_hash, const std::string& plan_json, double now)
{
  STORE_TRY(update, m_db->prepare("UPDATE plans SET last_seen_at = ?4, plan_json = ?5"
                                  " WHERE target = ?1 AND fingerprint = ?2 AND plan_hash = ?3"));
  update->bind(1, target).bind(2, fingerprint).bind(3, plan_hash).bind(4, now).bind(5, plan_json);
  if (auto error = update->run())
    return *error;
  if (m_db->changes() > 0)
    return false;
  STORE_TRY(insert, m_db->prepare("INSERT INTO plans VALUES (?1, ?2, ?3, ?4, ?5, ?5)"));
  insert->bind(1, target).bind(2, fingerprint).bind(3, plan_hash).bind(4, plan_json).bind(5, now);
  if (auto error = insert->run())
    return *error;
  return true;
}

model::Result<std::vector<PlanSighting>> HistoryStore::plans(const std::string& target, const std::string& fingerprint)
{
  STORE_TRY(stmt, m_db->prepare("SELECT plan_hash, first_seen_at FROM plans WHERE target = ?1 AND fingerprint = ?2"
                                " ORDER BY first_seen_at"));
  stmt->bind(1, target).bind(2, fingerprint);
  std::vector<PlanSighting> out;
  for (;;) {
    STORE_TRY(row, stmt->step());
    if (!*row)
      break;
    out.push_back({stmt->text(0), stmt->real(1)});
  }
  return out;
}

std::optional<model::Error> HistoryStore::add_finding(const std::string& target, const std::string& fingerprint,
                                                      const std::string& rule_id, const std::string& title,
                                                      const std::string& detail, double now)
{
  STORE_TRY(stmt, m_db->prepare("INSERT INTO findings (target, fingerprint, rule_id, title, detail, seen_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  stmt->bind(1, target).bind(2, fingerprint).bind(3, rule_id).bind(4, title).bind(5, detail).bind(6, now);
  return stmt->run();
}

std::optional<model::Error> HistoryStore::add_event(const EventRecord& event)
{
  STORE_TRY(stmt, m_db->prepare("INSERT INTO events (at, target, kind, message) VALUES (?1, ?2, ?3, ?4)"));
  stmt->bind(1, event.at).bind(2, event.target).bind(3, event.kind).bind(4, event.message);
  return stmt->run();
}

model::Result<std::vector<EventRecord>> HistoryStore::events(const std::string& target, int limit)
{
  STORE_TRY(stmt, m_db->prepare("SELECT at, target, kind, message FROM events WHERE target = ?1"
                                " ORDER BY id DESC LIMIT ?2"));
  stmt->bind(1, target).bind(2, std::int64_t{limit});
  std::vector<EventRecord> out;
  for (;;) {
    STORE_TRY(row, stmt->step());
    if (!*row)
      break;
    out.push_back({stmt->real(0), stmt->text(1), stmt->text(2), stmt->text(3)});
  }
  return out;
}

std::optional<model::Error> HistoryStore::complete_cycle(const std::string& target, double now, int windows)
{
  STORE_TRY(stmt, m_db->prepare("INSERT INTO cycles VALUES (?1, ?2, ?3) ON CONFLICT (target) DO UPDATE SET"
                                " completed_at = excluded.completed_at, windows = excluded.windows"));
  stmt->bind(1, target).bind(2, now).bind(3, std::int64_t{windows});
  return stmt->run();
}

model::Result<std::optional<double>> HistoryStore::last_cycle(const std::string& target)
{
  STORE_TRY(stmt, m_db->prepare("SELECT completed_at FROM cycles WHERE target = ?1"));
  stmt->bind(1, target);
  STORE_TRY(row, stmt->step());
  if (!*row)
    return std::optional<double>();
  return std::optional<double>(stmt->real(0));
}

std::optional<model::Error> HistoryStore::save_baseline(const std::string& target, double now,
                                                        const std::string& sample)
{
  STORE_TRY(stmt, m_db->prepare("INSERT INTO baselines VALUES (?1, ?2, ?3) ON CONFLICT (target) DO UPDATE SET"
                                " saved_at = excluded.saved_at, sample = excluded.sample"));
  stmt->bind(1, target).bind(2, now).bind(3, sample);
  return stmt->run();
}

model::Result<std::optional<std::string>> HistoryStore::baseline(const std::string& target)
{
  STORE_TRY(stmt, m_db->prepare("SELECT sample FROM baselines WHERE target = ?1"));
  stmt->bind(1, target);
  STORE_TRY(row, stmt->step());
  if (!*row)
    return std::optional<std::string>();
  return std::optional<std::string>(stmt->text(0));
}

std::optional<model::Error> HistoryStore::prune(double now, double raw_retention_s, double hourly_retention_s)
{
  const double raw_cut = now - raw_retention_s;
  const double long_cut = now - hourly_retention_s;
  auto error = transaction([&]() -> std::optional<model::Error> {
    const std::pair<const char*, double> deletes[] = {
        {"DELETE FROM windows WHERE end_at < ?1", raw_cut},
        {"DELETE FROM hourly WHERE hour < ?1", long_cut},
        {"DELETE FROM findings WHERE seen_at < ?1", long_cut},
        {"DELETE FROM events WHERE at < ?1", long_cut},
        {"DELETE FROM plans WHERE last_seen_at < ?1", long_cut},
        {"DELETE FROM statements WHERE last_seen_at < ?1", long_cut},
        {"DELETE FROM table_snapshots WHERE at < ?1", long_cut},
    };
    for (const auto& [sql, cut] : deletes) {
      STORE_TRY(stmt, m_db->prepare(sql));
      stmt->bind(1, cut);
      if (auto e = stmt->run())
        return e;
    }
    return std::nullopt;
  });
  if (error)
    return error;
  // Hand free pages back so the file shrinks, and fold the WAL into the main file.
  if (auto e = m_db->exec("PRAGMA incremental_vacuum"))
    return e;
  return m_db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace connectors::store
