#pragma once
// A recommendation's change told everywhere it must be: a row in the store's events table and
// one webhook delivery per configured endpoint, both inside the caller's store transaction so
// that the change, its event and its deliveries commit (or roll back) together.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "advisor/delivery/delivery_event.hpp"
#include "connectors/store/history_store.hpp"
#include "model/result.hpp"

namespace advisor::daemon {

class WebhookOutbox;

//! The store event kind of a delivery event: "recommendation_created"….
std::string event_kind(delivery::Event event);

//! Records `event` for `document` (the recommendation's JSON object, with its status as it is
//! now). `outbox` may be null (no webhook configured). Call inside store.transaction().
std::optional<model::Error> announce(connectors::store::HistoryStore& store, WebhookOutbox* outbox,
                                     const std::string& target, delivery::Event event,
                                     const nlohmann::ordered_json& document, const std::string& summary,
                                     const nlohmann::ordered_json& data, double now);

//! The same for the recommendation `id` as the store holds it now (read inside the caller's
//! transaction, so after the change). Nothing to announce when there is no such id.
std::optional<model::Error> announce_stored(connectors::store::HistoryStore& store, WebhookOutbox* outbox,
                                            const std::string& target, const std::string& id, delivery::Event event,
                                            const std::string& summary, const nlohmann::ordered_json& data,
                                            double now);

//! The stored document of `id` as JSON; null when there is no such id or it cannot be read.
nlohmann::ordered_json stored_document(connectors::store::Database& db, const std::string& id);

//! Whether a recommendation filed again changed enough to tell the ticket's readers: the set of
//! queries it serves, its confidence, or its estimated saving by a factor of two or more (the
//! window figures move every cycle; a ticket must not be updated every minute). The risk class
//! is left out: it follows the table's write rate, which can hover around its cap. Pure.
bool material_change(const nlohmann::ordered_json& before, const nlohmann::ordered_json& after);

}  // namespace advisor::daemon
