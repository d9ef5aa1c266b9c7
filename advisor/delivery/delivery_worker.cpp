#include "advisor/delivery/delivery_worker.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <random>

#include "advisor/delivery/analysis_text.hpp"
#include "connectors/store/outbox_store.hpp"

namespace advisor::delivery {

namespace policy = heuristics::delivery;

DeliveryWorker::DeliveryWorker(connectors::store::Database& db, std::vector<Endpoint> endpoints, WorkerOptions options,
                               Logger log, policy::RandomSource random, Sender sender)
    : m_db(db), m_endpoints(std::move(endpoints)), m_options(std::move(options)), m_log(std::move(log)),
      m_random(std::move(random)), m_sender(std::move(sender))
{
  if (!m_random) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    m_random = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
  if (!m_sender) {
    m_sender = [sender_options = m_options.sender](const connectors::sinks::WebhookRequest& request) {
      return connectors::sinks::post_webhook(request, sender_options);
    };
  }
  if (!m_log)
    m_log = [](heuristics::delivery::DeliveryState, const std::string&) {};
}

model::Result<PassSummary> DeliveryWorker::run_once(double now)
{
  PassSummary summary;
  for (const auto& endpoint : m_endpoints) {
    const auto hold = m_hold_until.find(endpoint.name);
    if (hold != m_hold_until.end() && now < hold->second)
      continue;
    if (auto error = deliver(endpoint, now, summary))
      return *error;
  }
  return summary;
}

std::optional<model::Error> DeliveryWorker::deliver(const Endpoint& endpoint, double now, PassSummary& summary)
{
  auto rows = connectors::store::due_deliveries(m_db, endpoint.name, now, m_options.batch);
  if (!rows)
    return rows.error();
  // Longer than any attempt can take, so a live worker's claim never runs out under it.
  const auto longest_attempt = m_options.sender.connect_timeout + m_options.sender.total_timeout;
  const double lease = std::chrono::duration<double>(longest_attempt).count() + 30;
  for (const auto& row : *rows) {
    auto claimed = connectors::store::claim_delivery(m_db, row.delivery_id, now, now + lease);
    if (!claimed)
      return claimed.error();
    if (!*claimed)
      continue;  // another worker has it
    connectors::sinks::WebhookRequest request;
    request.url = endpoint.url;
    request.body = row.payload;
    // Standard Webhooks: the timestamp is of this attempt; the id is the row's, on every try.
    const auto timestamp = static_cast<long long>(std::floor(now));
    if (endpoint.secret)
      request.headers = connectors::sinks::signed_headers(endpoint.secret->key(), row.delivery_id, timestamp, row.payload);
    else
      request.headers = {{"webhook-id", row.delivery_id}, {"webhook-timestamp", std::to_string(timestamp)}};

    const auto response = m_sender(request);
    ++summary.attempted;
    const int attempts = row.attempts + 1;
    const auto decision = policy::decide(m_options.policy, {response.http_status, response.retry_after}, attempts,
                                         row.created_at, now, m_random);
    std::string reason = decision.reason;
    if (response.http_status == 0 && !response.error.empty())
      reason = response.error + "; " + reason;

    const std::string state = policy::to_string(decision.state);
    if (auto error = connectors::store::record_attempt(m_db, row.delivery_id, state, attempts, decision.next_attempt_at,
                                                       response.http_status, reason, now))
      return error;

    std::string line = "webhook " + endpoint.name + ": " + row.event + " " + row.delivery_id + " (recommendation " +
                       row.recommendation_id + ", attempt " + std::to_string(attempts) + "): ";
    switch (decision.state) {
    case policy::DeliveryState::delivered:
      ++summary.delivered;
      m_log(decision.state, line + "delivered, " + reason);
      continue;
    case policy::DeliveryState::pending:
      ++summary.retrying;
      m_log(decision.state, line + reason + ", next try in " + format_number(decision.next_attempt_at - now) + "s");
      m_hold_until[endpoint.name] = decision.next_attempt_at;
      return std::nullopt;
    case policy::DeliveryState::dead:
      ++summary.dead;
      m_log(decision.state, line + "dead-lettered: " + reason);
      continue;  // this row is given up; the next may fare better
    case policy::DeliveryState::disabled:
      ++summary.disabled;
      m_log(decision.state, line + reason + "; endpoint disabled until re-enabled");
      if (auto error = connectors::store::disable_endpoint(m_db, endpoint.name, reason, now))
        return error;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

model::Result<std::optional<double>> DeliveryWorker::next_due()
{
  std::optional<double> earliest;
  for (const auto& endpoint : m_endpoints) {
    auto pending = connectors::store::earliest_pending(m_db, endpoint.name);
    if (!pending)
      return pending.error();
    if (!*pending)
      continue;
    double at = **pending;
    const auto hold = m_hold_until.find(endpoint.name);
    if (hold != m_hold_until.end())
      at = std::max(at, hold->second);
    if (!earliest || at < *earliest)
      earliest = at;
  }
  return earliest;
}

}  // namespace advisor::delivery
