#include "advisor/delivery/webhook_endpoint.hpp"

#include <set>

#include "advisor/delivery/payload_formats.hpp"
#include "connectors/sinks/webhook_sender.hpp"
#include "connectors/sinks/webhook_signature.hpp"
#include "connectors/store/outbox_store.hpp"

namespace advisor::delivery {

std::optional<model::Error> check_endpoints(const std::vector<Endpoint>& endpoints)
{
  std::set<std::string> names;
  for (const auto& endpoint : endpoints) {
    if (endpoint.name.empty())
      return model::make_error(model::ErrorKind::invalid_input, "webhook: an endpoint has no name");
    if (!names.insert(endpoint.name).second)
      return model::make_error(model::ErrorKind::invalid_input, "webhook " + endpoint.name + ": name used twice");
    if (auto refused = connectors::sinks::check_endpoint_url(endpoint.url)) {
      refused->message = "webhook " + endpoint.name + ": " + refused->message;
      return refused;
    }
  }
  return std::nullopt;
}

model::Result<std::vector<std::string>> enqueue_event(connectors::store::Database& db,
                                                      const std::vector<Endpoint>& endpoints, Event event,
                                                      const nlohmann::ordered_json& recommendation,
                                                      const EventDetails& details, double now)
{
  std::vector<std::string> ids;
  for (const auto& endpoint : endpoints) {
    connectors::store::OutboxEntry entry;
    entry.delivery_id = connectors::sinks::new_delivery_id();
    entry.endpoint = endpoint.name;
    entry.event = to_string(event);
    entry.recommendation_id = field_text(recommendation, "id");
    entry.payload = render_payload(endpoint.format, event, recommendation, details, endpoint.jira);
    auto queued = connectors::store::enqueue_delivery(db, entry, now);
    if (!queued)
      return queued.error();
    ids.push_back(entry.delivery_id);
  }
  return ids;
}

}  // namespace advisor::delivery
