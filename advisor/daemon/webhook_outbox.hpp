#pragma once
// The daemon's webhook outbox: the [webhook] endpoints, the queuing of events inside the
// store's filing transaction, and the delivery worker's passes between and after cycles. One
// instance per loaded config (a SIGHUP reload builds a new one); it uses the store's connection
// from the daemon's thread only.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advisor/config/config.hpp"
#include "advisor/daemon/log.hpp"
#include "advisor/delivery/delivery_event.hpp"
#include "advisor/delivery/delivery_worker.hpp"
#include "advisor/delivery/webhook_endpoint.hpp"
#include "connectors/sinks/webhook_secret.hpp"
#include "connectors/store/sqlite_db.hpp"
#include "model/result.hpp"

namespace advisor::daemon {

class WebhookOutbox {
public:
  //! Creates the outbox tables when absent (ensure_outbox_schema) and reads the [webhook]
  //! section (webhook_setup). Errors are returned as they come (a bad key is named, never the
  //! secret or the URL's path): a bad section at start-up is fatal, on reload the caller keeps
  //! the old outbox. `db` must outlive the outbox.
  static model::Result<std::unique_ptr<WebhookOutbox>> open(const config::Config& config,
                                                             connectors::store::Database& db,
                                                             const connectors::sinks::Getenv& getenv = {});

  WebhookOutbox(const WebhookOutbox&) = delete;
  WebhookOutbox& operator=(const WebhookOutbox&) = delete;

  //! At least one endpoint is configured.
  bool enabled() const { return !m_endpoints.empty(); }

  //! Queues `event` for every endpoint. Call it inside the caller's store transaction, with the
  //! recommendation change it reports, and roll back on an error. nullopt: queued, or nothing to
  //! do when no endpoint is configured.
  std::optional<model::Error> enqueue(delivery::Event event, const nlohmann::ordered_json& recommendation,
                                      const delivery::EventDetails& details, double now);

  //! One worker pass at `now` (Unix seconds): each row's outcome at debug (delivered) or warning
  //! (retrying, dead, disabled), then one info line with the counts when something was sent.
  //! Delivered and dead rows older than `retention_s` are pruned at most once an hour. Never
  //! throws: a store error is logged and the pass is tried again next time.
  void deliver(Log& log, double now, double retention_s);

  //! When the next pending row is due (Unix seconds), for the daemon's sleep; nullopt when
  //! nothing is pending, no endpoint is configured, or the store cannot say (the next cycle's
  //! pass retries).
  std::optional<double> next_due();

private:
  WebhookOutbox(connectors::store::Database& db, std::vector<delivery::Endpoint> endpoints,
                delivery::WorkerOptions options);

  connectors::store::Database& m_db;
  std::vector<delivery::Endpoint> m_endpoints;
  Log* m_log = nullptr;  //!< the log of the pass in progress, for the worker's per-row lines
  delivery::DeliveryWorker m_worker;
  double m_last_prune = 0;
};

//! The level of one of the delivery worker's per-row lines, by the row's state after the
//! attempt: debug for a delivery, warning for a retry, a dead letter or a disabled endpoint
//! (the operator should see those). Pure.
LogLevel worker_line_level(heuristics::delivery::DeliveryState outcome);

//! The pass's info line, e.g. "webhook: 2 delivered, 1 retrying, 0 dead"; empty when nothing
//! was attempted (an idle pass logs nothing). Pure.
std::string pass_summary_line(const delivery::PassSummary& summary);

}  // namespace advisor::daemon
