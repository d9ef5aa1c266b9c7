#pragma once
// Sends the webhook outbox, at least once. Each pass takes every endpoint's due rows, oldest
// first, posts each one signed (webhook-id = the row's delivery id, the same on every retry),
// and records the outcome in the row before moving on; a crash between the POST and the record
// means that delivery is sent again with the same webhook-id, which receivers deduplicate.
// After a failure the endpoint's remaining rows wait until the failed row is due again, so an
// endpoint that is down or rate limiting (429/503 with Retry-After) is not hammered.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "advisor/delivery/webhook_endpoint.hpp"
#include "connectors/sinks/webhook_sender.hpp"
#include "connectors/store/sqlite_db.hpp"
#include "heuristics/delivery/retry_policy.hpp"
#include "model/result.hpp"

namespace advisor::delivery {

using Sender = std::function<connectors::sinks::WebhookResponse(const connectors::sinks::WebhookRequest&)>;
//! Receives one log line per attempt with the row's state after it (delivered, pending for a
//! retry, dead, disabled); lines name the endpoint and the delivery, never a URL or a secret.
using Logger = std::function<void(heuristics::delivery::DeliveryState outcome, const std::string& line)>;

struct WorkerOptions {
  heuristics::delivery::RetryPolicy policy;
  connectors::sinks::SenderOptions sender;
  int batch = 20;  //!< rows per endpoint per pass
};

struct PassSummary {
  int attempted = 0;
  int delivered = 0;
  int retrying = 0;
  int dead = 0;
  int disabled = 0;
};

//! Uses `db` from the calling thread only: a worker on its own thread needs its own connection.
class DeliveryWorker {
public:
  //! `endpoints` must have passed check_endpoints(). `random` defaults to a seeded
  //! std::mt19937_64, `sender` to post_webhook() with options.sender, `log` to nothing.
  DeliveryWorker(connectors::store::Database& db, std::vector<Endpoint> endpoints, WorkerOptions options,
                 Logger log = {}, heuristics::delivery::RandomSource random = {}, Sender sender = {});

  //! One pass at time `now`: the wall clock in Unix seconds (it is also the webhook-timestamp,
  //! which receivers check against their own clock). Each row is claimed before it is sent
  //! (claim_delivery), so two workers on one store do not send it together. Store errors stop
  //! the pass and are returned; what was recorded before stays recorded.
  model::Result<PassSummary> run_once(double now);

  //! When the earliest pending row of a configured endpoint is due (for the daemon's sleep);
  //! nullopt when nothing is pending.
  model::Result<std::optional<double>> next_due();

private:
  std::optional<model::Error> deliver(const Endpoint& endpoint, double now, PassSummary& summary);

  connectors::store::Database& m_db;
  std::vector<Endpoint> m_endpoints;
  WorkerOptions m_options;
  Logger m_log;
  heuristics::delivery::RandomSource m_random;
  Sender m_sender;
  std::map<std::string, double> m_hold_until;  //!< endpoint name → no attempt before this
};

}  // namespace advisor::delivery
