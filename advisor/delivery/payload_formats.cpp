#include "advisor/delivery/payload_formats.hpp"

#include "advisor/delivery/jira_issue.hpp"
#include "advisor/delivery/slack_message.hpp"
#include "advisor/render_json.hpp"

namespace advisor::delivery {

using Json = nlohmann::ordered_json;

std::string field_text(const Json& object, const char* key)
{
  if (!object.is_object())
    return {};
  const auto found = object.find(key);
  if (found == object.end() || found->is_null())
    return {};
  if (found->is_string())
    return found->get<std::string>();
  return found->dump();
}

Json json_payload(Event event, const Json& recommendation, const EventDetails& details)
{
  Json payload;
  payload["event"] = to_string(event);
  payload["occurred_at"] = details.occurred_at;
  if (!details.summary.empty())
    payload["summary"] = details.summary;
  if (!details.data.is_null())
    payload["details"] = details.data;
  if (recommendation.is_object())
    for (const auto& [key, value] : recommendation.items())
      if (!payload.contains(key))
        payload[key] = value;
  return payload;
}

std::string render_payload(PayloadFormat format, Event event, const Json& recommendation, const EventDetails& details,
                           const JiraOptions& jira)
{
  Json body;
  switch (format) {
  case PayloadFormat::json:
    body = json_payload(event, recommendation, details);
    break;
  case PayloadFormat::slack:
    body = slack_message(event, recommendation, details);
    break;
  case PayloadFormat::jira:
    body = jira_issue(event, recommendation, details, jira);
    break;
  }
  // SQL text from the server may hold bytes that are not UTF-8: replace them, never throw.
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string render_payload(PayloadFormat format, Event event, const model::Recommendation& recommendation,
                           const Json& plan_before, const EventDetails& details)
{
  return render_payload(format, event, recommendation_to_json(recommendation, plan_before), details);
}

}  // namespace advisor::delivery
