#include "advisor/daemon/webhook_outbox.hpp"

#include <exception>

#include "advisor/delivery/webhook_config.hpp"
#include "connectors/store/outbox_store.hpp"

namespace advisor::daemon {

namespace {

constexpr double prune_every_s = 3600;

}  // namespace

LogLevel worker_line_level(heuristics::delivery::DeliveryState outcome)
{
  return outcome == heuristics::delivery::DeliveryState::delivered ? LogLevel::debug : LogLevel::warning;
}

std::string pass_summary_line(const delivery::PassSummary& summary)
{
  if (summary.attempted == 0)
    return {};
  std::string line = "webhook: " + std::to_string(summary.delivered) + " delivered, " +
                     std::to_string(summary.retrying) + " retrying, " + std::to_string(summary.dead) + " dead";
  if (summary.disabled > 0)
    line += ", " + std::to_string(summary.disabled) + " endpoint disabled (HTTP 410)";
  return line;
}

model::Result<std::unique_ptr<WebhookOutbox>> WebhookOutbox::open(const config::Config& config,
                                                                  connectors::store::Database& db,
                                                                  const connectors::sinks::Getenv& getenv)
{
  if (auto error = connectors::store::ensure_outbox_schema(db))
    return *error;
  auto setup = delivery::webhook_setup(config, getenv);
  if (!setup)
    return setup.error();
  return std::unique_ptr<WebhookOutbox>(
      new WebhookOutbox(db, std::move(setup->endpoints), std::move(setup->options)));
}

WebhookOutbox::WebhookOutbox(connectors::store::Database& db, std::vector<delivery::Endpoint> endpoints,
                             delivery::WorkerOptions options)
    : m_db(db), m_endpoints(std::move(endpoints)),
      m_worker(db, m_endpoints, std::move(options),
               [this](heuristics::delivery::DeliveryState outcome, const std::string& line) {
                 // Lines name the endpoint and the delivery id, never the URL or the secret.
                 if (m_log)
                   m_log->write(worker_line_level(outcome), "", line);
               })
{
}

std::optional<model::Error> WebhookOutbox::enqueue(delivery::Event event, const nlohmann::ordered_json& recommendation,
                                                   const delivery::EventDetails& details, double now)
{
  if (!enabled())
    return std::nullopt;
  auto queued = delivery::enqueue_event(m_db, m_endpoints, event, recommendation, details, now);
  if (!queued)
    return queued.error();
  return std::nullopt;
}

void WebhookOutbox::deliver(Log& log, double now, double retention_s)
{
  // The daemon's loop must survive anything a delivery pass meets (e.g. bad_alloc in a body).
  try {
    if (now - m_last_prune >= prune_every_s) {
      m_last_prune = now;
      auto pruned = connectors::store::prune_deliveries(m_db, now - retention_s);
      if (!pruned)
        log.warning("", "webhook: cannot prune the outbox (" + pruned.error().message + "); retrying in an hour");
      else if (*pruned > 0)
        log.debug("", "webhook: pruned " + std::to_string(*pruned) + " old deliveries");
    }
    if (!enabled())
      return;
    m_log = &log;
    auto pass = m_worker.run_once(now);
    m_log = nullptr;
    if (!pass) {
      log.warning("", "webhook: delivery pass failed (" + pass.error().message + "); retrying on the next pass");
      return;
    }
    const std::string line = pass_summary_line(*pass);
    if (!line.empty())
      log.info("", line);
  } catch (const std::exception& error) {
    m_log = nullptr;
    log.error("", std::string("webhook: delivery pass failed (") + error.what() + "); retrying on the next pass");
  }
}

std::optional<double> WebhookOutbox::next_due()
{
  if (!enabled())
    return std::nullopt;
  auto due = m_worker.next_due();
  if (!due)
    return std::nullopt;
  return *due;
}

}  // namespace advisor::daemon
