#pragma once
// What a webhook delivery reports (the event) and how its body is written (the format).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace advisor::delivery {

//! A change in a recommendation's life. Its wire name is "recommendation.<name>".
enum class Event { created, updated, applied, verified, regressed, resolved };

//! "recommendation.created"…
const char* to_string(Event event);
std::optional<Event> parse_event(std::string_view text);

//! [webhook] format.
enum class PayloadFormat { json, slack, jira };

const char* to_string(PayloadFormat format);
//! "json", "slack", "jira"; nullopt otherwise.
std::optional<PayloadFormat> parse_payload_format(std::string_view text);

//! What happened, beside the recommendation itself.
struct EventDetails {
  std::string occurred_at;  //!< ISO 8601 UTC
  std::string summary;      //!< one line, e.g. "mean 41.2 ms → 3.1 ms over 1,200 calls"; may be empty
  nlohmann::ordered_json data = nullptr;  //!< extra numbers (verification, apply steps); null when none
};

}  // namespace advisor::delivery
