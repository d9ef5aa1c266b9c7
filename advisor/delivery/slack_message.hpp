#pragma once
// The `slack` format: a Slack incoming-webhook message with Block Kit blocks (header, the
// rationale, status/risk/score fields, the DDL as code, the evidence, a context line) and a
// plain `text` fallback for notifications. Slack's limits are kept (header 150 characters,
// section 3000, at most 50 blocks); &, < and > are escaped as Slack requires.

#include <string>

#include <nlohmann/json.hpp>

#include "advisor/delivery/delivery_event.hpp"

namespace advisor::delivery {

nlohmann::ordered_json slack_message(Event event, const nlohmann::ordered_json& recommendation,
                                     const EventDetails& details);

//! &, < and > as &amp; &lt; &gt; (Slack's mrkdwn control characters).
std::string slack_escape(const std::string& text);

}  // namespace advisor::delivery
