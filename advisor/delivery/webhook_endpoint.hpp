#pragma once
// A configured webhook and the queuing of events for it. Queuing writes outbox rows only: call
// enqueue_event() inside the store's transaction with the recommendation change it reports.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advisor/delivery/delivery_event.hpp"
#include "advisor/delivery/jira_issue.hpp"
#include "connectors/sinks/webhook_secret.hpp"
#include "connectors/store/sqlite_db.hpp"
#include "model/result.hpp"

namespace advisor::delivery {

struct Endpoint {
  std::string name;  //!< stored in the outbox instead of the URL; unique among endpoints
  std::string url;   //!< https (http only to loopback); may hold a token: never logged or stored
  PayloadFormat format = PayloadFormat::json;
  //! The signing key; null: deliveries go unsigned (e.g. a Slack URL that is its own secret).
  std::shared_ptr<const connectors::sinks::WebhookSecret> secret;
  JiraOptions jira;  //!< for PayloadFormat::jira
};

//! nullopt when every endpoint has a non-empty unique name and an allowed URL; otherwise
//! invalid_input naming the endpoint (never its URL's path or query).
std::optional<model::Error> check_endpoints(const std::vector<Endpoint>& endpoints);

//! Queues `event` for every endpoint, its body rendered now in the endpoint's format (so every
//! retry sends the same bytes) under a new delivery id. Opens no transaction. Returns the
//! delivery ids, one per endpoint, in order.
model::Result<std::vector<std::string>> enqueue_event(connectors::store::Database& db,
                                                      const std::vector<Endpoint>& endpoints, Event event,
                                                      const nlohmann::ordered_json& recommendation,
                                                      const EventDetails& details, double now);

}  // namespace advisor::delivery
