#pragma once
// The webhook outbox: one row per (event, endpoint) to deliver, in the history store's SQLite
// database. A row is written in the same transaction as the recommendation change it reports,
// so a crash can never leave a change without its delivery or a delivery without its change;
// the delivery worker then sends it at least once.
//
// Endpoints are stored by NAME (the daemon's key for a configured webhook), never by URL: an
// incoming-webhook URL (Slack) is itself a credential.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connectors/store/sqlite_db.hpp"
#include "model/result.hpp"

namespace connectors::store {

//! Creates the outbox tables when absent (CREATE TABLE IF NOT EXISTS, so it is safe to call at
//! every start, after migrate()). Does not touch PRAGMA user_version.
std::optional<model::Error> ensure_outbox_schema(Database& db);

struct OutboxEntry {
  std::string delivery_id;  //!< the webhook-id, stable across retries (unique)
  std::string endpoint;     //!< the configured webhook's name
  std::string event;        //!< "recommendation.created"…
  std::string recommendation_id;
  std::string payload;      //!< the exact body to send, rendered once
};

struct OutboxRow {
  std::string delivery_id;
  std::string endpoint;
  std::string event;
  std::string recommendation_id;
  std::string payload;
  int attempts = 0;
  double created_at = 0;  //!< Unix seconds
  double next_attempt_at = 0;
  double updated_at = 0;
  std::string state;  //!< pending, delivered, dead, disabled
  long last_status = 0;   //!< last HTTP status, 0 when none
  std::string last_error; //!< why the last attempt failed, empty when none
};

//! Queues one delivery, due now, and opens no transaction of its own: call it inside the
//! store's transaction() with the recommendation change. A row for a disabled endpoint is
//! stored as disabled (kept for the record, never sent). Returns false when the delivery id is
//! already queued (nothing changed).
model::Result<bool> enqueue_delivery(Database& db, const OutboxEntry& entry, double now);

//! Pending rows of `endpoint` due at `now`, in the order they were queued, at most `limit`.
model::Result<std::vector<OutboxRow>> due_deliveries(Database& db, const std::string& endpoint, double now, int limit);

//! When the earliest pending row of `endpoint` is due; nullopt when none is pending.
model::Result<std::optional<double>> earliest_pending(Database& db, const std::string& endpoint);

//! Claims a due pending row for one attempt by pushing its next_attempt_at to `lease_until`, so
//! that another worker on the same store does not send it at the same time. False when the row
//! is no longer due or pending (someone else took it). A worker that dies holding the claim
//! leaves the row to be sent again once the lease is over (at least once).
model::Result<bool> claim_delivery(Database& db, const std::string& delivery_id, double now, double lease_until);

//! Records the outcome of an attempt on one row: its new state, attempt count, when it is due
//! again, and the last status and error.
std::optional<model::Error> record_attempt(Database& db, const std::string& delivery_id, const std::string& state,
                                           int attempts, double next_attempt_at, long last_status,
                                           const std::string& last_error, double now);

//! Marks `endpoint` gone (HTTP 410): its pending rows become disabled and new ones are stored
//! disabled until enable_endpoint().
std::optional<model::Error> disable_endpoint(Database& db, const std::string& endpoint, const std::string& reason,
                                             double now);
//! Sends to `endpoint` again (after the operator fixed it): its disabled rows become pending,
//! due now, with a fresh age. Returns how many rows were revived.
model::Result<int> enable_endpoint(Database& db, const std::string& endpoint, double now);
model::Result<bool> endpoint_disabled(Database& db, const std::string& endpoint);

//! Rows, newest first; `state` empty: every state; at most `limit` (for `recommendations
//! --deliveries`).
model::Result<std::vector<OutboxRow>> list_deliveries(Database& db, const std::string& state = {}, int limit = 100);

//! Deletes delivered and dead rows last updated before `before` (disk use stays bounded).
//! Returns how many were deleted.
model::Result<int> prune_deliveries(Database& db, double before);

}  // namespace connectors::store
