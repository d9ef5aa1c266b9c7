#pragma once
// Webhook bodies. Every format is rendered from the recommendation object of the contract in
// DESIGN.md (render_json.hpp, or the document the store keeps), so all sinks say the same thing.

#include <string>

#include <nlohmann/json.hpp>

#include "advisor/delivery/delivery_event.hpp"
#include "advisor/delivery/jira_issue.hpp"
#include "model/recommendation.hpp"

namespace advisor::delivery {

//! The `json` format: the recommendation object with, in front, "event" (the wire name),
//! "occurred_at" and, when given, "summary" and "details".
nlohmann::ordered_json json_payload(Event event, const nlohmann::ordered_json& recommendation,
                                    const EventDetails& details);

//! The body for `format`, serialised (UTF-8; invalid bytes in the input are replaced, never
//! thrown on).
std::string render_payload(PayloadFormat format, Event event, const nlohmann::ordered_json& recommendation,
                           const EventDetails& details, const JiraOptions& jira = {});

//! The same from a model::Recommendation (through recommendation_to_json).
std::string render_payload(PayloadFormat format, Event event, const model::Recommendation& recommendation,
                           const nlohmann::ordered_json& plan_before, const EventDetails& details);

//! A field of the recommendation as text ("" when absent or null; numbers printed).
std::string field_text(const nlohmann::ordered_json& object, const char* key);

}  // namespace advisor::delivery
