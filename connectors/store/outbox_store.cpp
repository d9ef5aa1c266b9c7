#include "connectors/store/outbox_store.hpp"

namespace connectors::store {

namespace {

constexpr const char* row_columns = "delivery_id, endpoint, event, recommendation_id, payload, attempts, created_at, "
                                    "next_attempt_at, updated_at, state, last_status, last_error";

OutboxRow read_row(const Statement& statement)
{
  OutboxRow row;
  row.delivery_id = statement.text(0);
  row.endpoint = statement.text(1);
  row.event = statement.text(2);
  row.recommendation_id = statement.text(3);
  row.payload = statement.text(4);
  row.attempts = static_cast<int>(statement.integer(5));
  row.created_at = statement.real(6);
  row.next_attempt_at = statement.real(7);
  row.updated_at = statement.real(8);
  row.state = statement.text(9);
  row.last_status = static_cast<long>(statement.integer(10));
  row.last_error = statement.text(11);
  return row;
}

model::Result<std::vector<OutboxRow>> read_rows(Statement& statement)
{
  std::vector<OutboxRow> rows;
  while (true) {
    auto more = statement.step();
    if (!more)
      return more.error();
    if (!*more)
      return rows;
    rows.push_back(read_row(statement));
  }
}

}  // namespace

std::optional<model::Error> ensure_outbox_schema(Database& db)
{
  return db.exec(R"sql(
CREATE TABLE IF NOT EXISTS webhook_outbox (
  delivery_id       TEXT PRIMARY KEY,
  endpoint          TEXT NOT NULL,
  event             TEXT NOT NULL,
  recommendation_id TEXT NOT NULL,
  payload           TEXT NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  created_at        REAL NOT NULL,
  next_attempt_at   REAL NOT NULL,
  updated_at        REAL NOT NULL,
  state             TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'delivered', 'dead', 'disabled')),
  last_status       INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS webhook_outbox_due ON webhook_outbox (endpoint, state, next_attempt_at);
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  endpoint    TEXT PRIMARY KEY,
  disabled_at REAL NOT NULL,
  reason      TEXT NOT NULL
);
)sql");
}

model::Result<bool> enqueue_delivery(Database& db, const OutboxEntry& entry, double now)
{
  auto disabled = endpoint_disabled(db, entry.endpoint);
  if (!disabled)
    return disabled.error();
  auto statement = db.prepare(
      "INSERT OR IGNORE INTO webhook_outbox (delivery_id, endpoint, event, recommendation_id, payload, attempts, "
      "created_at, next_attempt_at, updated_at, state, last_status, last_error) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6, ?6, ?7, 0, ?8)");
  if (!statement)
    return statement.error();
  statement->bind(1, entry.delivery_id)
      .bind(2, entry.endpoint)
      .bind(3, entry.event)
      .bind(4, entry.recommendation_id)
      .bind(5, entry.payload)
      .bind(6, now)
      .bind(7, std::string(*disabled ? "disabled" : "pending"))
      .bind(8, std::string(*disabled ? "endpoint disabled (HTTP 410)" : ""));
  if (auto error = statement->run())
    return *error;
  return db.changes() > 0;
}

model::Result<std::vector<OutboxRow>> due_deliveries(Database& db, const std::string& endpoint, double now, int limit)
{
  auto statement = db.prepare(std::string("SELECT ") + row_columns +
                              " FROM webhook_outbox WHERE endpoint = ?1 AND state = 'pending' AND next_attempt_at <= ?2"
                              " ORDER BY created_at, delivery_id LIMIT ?3");
  if (!statement)
    return statement.error();
  statement->bind(1, endpoint).bind(2, now).bind(3, static_cast<std::int64_t>(limit));
  return read_rows(*statement);
}

model::Result<bool> claim_delivery(Database& db, const std::string& delivery_id, double now, double lease_until)
{
  auto statement = db.prepare("UPDATE webhook_outbox SET next_attempt_at = ?3 "
                              "WHERE delivery_id = ?1 AND state = 'pending' AND next_attempt_at <= ?2");
  if (!statement)
    return statement.error();
  statement->bind(1, delivery_id).bind(2, now).bind(3, lease_until);
  if (auto error = statement->run())
    return *error;
  return db.changes() == 1;
}

std::optional<model::Error> record_attempt(Database& db, const std::string& delivery_id, const std::string& state,
                                           int attempts, double next_attempt_at, long last_status,
                                           const std::string& last_error, double now)
{
  auto statement = db.prepare(
      "UPDATE webhook_outbox SET state = ?2, attempts = ?3, next_attempt_at = ?4, last_status = ?5, last_error = ?6, "
      "updated_at = ?7 WHERE delivery_id = ?1");
  if (!statement)
    return statement.error();
  statement->bind(1, delivery_id)
      .bind(2, state)
      .bind(3, static_cast<std::int64_t>(attempts))
      .bind(4, next_attempt_at)
      .bind(5, static_cast<std::int64_t>(last_status))
      .bind(6, last_error)
      .bind(7, now);
  return statement->run();
}

std::optional<model::Error> disable_endpoint(Database& db, const std::string& endpoint, const std::string& reason,
                                             double now)
{
  auto mark = db.prepare("INSERT INTO webhook_endpoints (endpoint, disabled_at, reason) VALUES (?1, ?2, ?3) "
                         "ON CONFLICT (endpoint) DO UPDATE SET disabled_at = excluded.disabled_at, reason = excluded.reason");
  if (!mark)
    return mark.error();
  mark->bind(1, endpoint).bind(2, now).bind(3, reason);
  if (auto error = mark->run())
    return error;
  auto rows = db.prepare("UPDATE webhook_outbox SET state = 'disabled', last_error = ?2, updated_at = ?3 "
                         "WHERE endpoint = ?1 AND state = 'pending'");
  if (!rows)
    return rows.error();
  rows->bind(1, endpoint).bind(2, reason).bind(3, now);
  return rows->run();
}

model::Result<int> enable_endpoint(Database& db, const std::string& endpoint, double now)
{
  auto unmark = db.prepare("DELETE FROM webhook_endpoints WHERE endpoint = ?1");
  if (!unmark)
    return unmark.error();
  unmark->bind(1, endpoint);
  if (auto error = unmark->run())
    return *error;
  auto rows = db.prepare("UPDATE webhook_outbox SET state = 'pending', next_attempt_at = ?2, created_at = ?2, "
                         "updated_at = ?2, last_error = '' WHERE endpoint = ?1 AND state = 'disabled'");
  if (!rows)
    return rows.error();
  rows->bind(1, endpoint).bind(2, now);
  if (auto error = rows->run())
    return *error;
  return db.changes();
}

model::Result<std::optional<double>> earliest_pending(Database& db, const std::string& endpoint)
{
  auto statement =
      db.prepare("SELECT min(next_attempt_at) FROM webhook_outbox WHERE endpoint = ?1 AND state = 'pending'");
  if (!statement)
    return statement.error();
  statement->bind(1, endpoint);
  auto row = statement->step();
  if (!row)
    return row.error();
  if (!*row || statement->is_null(0))
    return std::optional<double>();
  return std::optional<double>(statement->real(0));
}

model::Result<bool> endpoint_disabled(Database& db, const std::string& endpoint)
{
  auto statement = db.prepare("SELECT 1 FROM webhook_endpoints WHERE endpoint = ?1");
  if (!statement)
    return statement.error();
  statement->bind(1, endpoint);
  return statement->step();
}

model::Result<std::vector<OutboxRow>> list_deliveries(Database& db, const std::string& state, int limit)
{
  auto statement = db.prepare(std::string("SELECT ") + row_columns +
                              " FROM webhook_outbox WHERE (?1 = '' OR state = ?1)"
                              " ORDER BY created_at DESC, delivery_id LIMIT ?2");
  if (!statement)
    return statement.error();
  statement->bind(1, state).bind(2, static_cast<std::int64_t>(limit));
  return read_rows(*statement);
}

model::Result<int> prune_deliveries(Database& db, double before)
{
  auto statement =
      db.prepare("DELETE FROM webhook_outbox WHERE state IN ('delivered', 'dead') AND updated_at < ?1");
  if (!statement)
    return statement.error();
  statement->bind(1, before);
  if (auto error = statement->run())
    return *error;
  return db.changes();
}

}  // namespace connectors::store
