#include "advisor/daemon/announce.hpp"

#include <cmath>
#include <set>

#include "advisor/daemon/webhook_outbox.hpp"
#include "connectors/clock.hpp"
#include "connectors/store/recommendation_store.hpp"

namespace advisor::daemon {

namespace {

std::set<std::string> fingerprints_of(const nlohmann::ordered_json& document)
{
  std::set<std::string> out;
  if (document.contains("queries") && document["queries"].is_array())
    for (const auto& query : document["queries"])
      if (query.contains("fingerprint") && query["fingerprint"].is_string())
        out.insert(query["fingerprint"].get<std::string>());
  return out;
}

double saving_of(const nlohmann::ordered_json& document)
{
  if (!document.contains("estimate") || !document["estimate"].is_object())
    return 0;
  const auto& saved = document["estimate"]["ms_saved_per_day"];
  return saved.is_number() ? saved.get<double>() : 0;
}

}  // namespace

std::string event_kind(delivery::Event event)
{
  std::string wire = delivery::to_string(event);  // "recommendation.created"
  const auto dot = wire.find('.');
  if (dot != std::string::npos)
    wire[dot] = '_';
  return wire;
}

std::optional<model::Error> announce(connectors::store::HistoryStore& store, WebhookOutbox* outbox,
                                     const std::string& target, delivery::Event event,
                                     const nlohmann::ordered_json& document, const std::string& summary,
                                     const nlohmann::ordered_json& data, double now)
{
  const std::string id = document.value("id", std::string());
  if (auto error = store.add_event({now, target, event_kind(event), summary.empty() ? id : id + ": " + summary}))
    return error;
  if (outbox == nullptr)
    return std::nullopt;
  delivery::EventDetails details;
  details.occurred_at = connectors::utc_now_iso8601();
  details.summary = summary;
  details.data = data;
  return outbox->enqueue(event, document, details, now);
}

std::optional<model::Error> announce_stored(connectors::store::HistoryStore& store, WebhookOutbox* outbox,
                                            const std::string& target, const std::string& id, delivery::Event event,
                                            const std::string& summary, const nlohmann::ordered_json& data,
                                            double now)
{
  auto found = connectors::store::find_recommendation(store.database(), id);
  if (!found)
    return found.error();
  if (!found->has_value())
    return std::nullopt;
  auto document = nlohmann::ordered_json::parse((*found)->document, nullptr, false);
  if (document.is_discarded())
    document = {{"id", id}, {"target", target}, {"status", (*found)->status}};
  return announce(store, outbox, target, event, document, summary, data, now);
}

nlohmann::ordered_json stored_document(connectors::store::Database& db, const std::string& id)
{
  auto found = connectors::store::find_recommendation(db, id);
  if (!found || !found->has_value())
    return nullptr;
  auto json = nlohmann::ordered_json::parse((*found)->document, nullptr, false);
  return json.is_discarded() ? nlohmann::ordered_json(nullptr) : json;
}

bool material_change(const nlohmann::ordered_json& before, const nlohmann::ordered_json& after)
{
  if (fingerprints_of(before) != fingerprints_of(after))
    return true;
  const double confidence_before = before.value("confidence", 0.0);
  const double confidence_after = after.value("confidence", 0.0);
  if (std::abs(confidence_before - confidence_after) >= 0.1)
    return true;
  const double saved_before = saving_of(before);
  const double saved_after = saving_of(after);
  if (saved_before <= 0 || saved_after <= 0)
    return (saved_before > 0) != (saved_after > 0);
  return saved_after >= 2 * saved_before || saved_before >= 2 * saved_after;
}

}  // namespace advisor::daemon
