#include "advisor/delivery/delivery_event.hpp"

namespace advisor::delivery {

const char* to_string(Event event)
{
  switch (event) {
  case Event::created:
    return "recommendation.created";
  case Event::updated:
    return "recommendation.updated";
  case Event::applied:
    return "recommendation.applied";
  case Event::verified:
    return "recommendation.verified";
  case Event::regressed:
    return "recommendation.regressed";
  case Event::resolved:
    return "recommendation.resolved";
  }
  return "recommendation.updated";
}

std::optional<Event> parse_event(std::string_view text)
{
  for (auto event : {Event::created, Event::updated, Event::applied, Event::verified, Event::regressed, Event::resolved})
    if (text == to_string(event))
      return event;
  return std::nullopt;
}

const char* to_string(PayloadFormat format)
{
  switch (format) {
  case PayloadFormat::json:
    return "json";
  case PayloadFormat::slack:
    return "slack";
  case PayloadFormat::jira:
    return "jira";
  }
  return "json";
}

std::optional<PayloadFormat> parse_payload_format(std::string_view text)
{
  for (auto format : {PayloadFormat::json, PayloadFormat::slack, PayloadFormat::jira})
    if (text == to_string(format))
      return format;
  return std::nullopt;
}

}  // namespace advisor::delivery
