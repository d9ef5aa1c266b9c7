#include "advisor/delivery/slack_message.hpp"

#include <algorithm>
#include <cstddef>

#include "advisor/delivery/analysis_text.hpp"
#include "advisor/delivery/payload_formats.hpp"

namespace advisor::delivery {

using Json = nlohmann::ordered_json;

namespace {

constexpr std::size_t header_limit = 150;
constexpr std::size_t section_limit = 3000;
constexpr std::ptrdiff_t max_blocks = 50;

Json mrkdwn_section(const std::string& text)
{
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", truncate_text(text, section_limit)}}}};
}

Json field(const std::string& name, const std::string& value)
{
  return {{"type", "mrkdwn"}, {"text", "*" + name + "*\n" + slack_escape(value.empty() ? "-" : value)}};
}

}  // namespace

std::string slack_escape(const std::string& text)
{
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

Json slack_message(Event event, const Json& recommendation, const EventDetails& details)
{
  const std::string title = event_title(event, recommendation);
  Json blocks = Json::array();
  blocks.push_back({{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", truncate_text(title, header_limit)}}}});

  std::string lead;
  if (!details.summary.empty())
    lead.append("*").append(slack_escape(details.summary)).append("*\n");
  lead += slack_escape(field_text(recommendation, "rationale"));
  if (!lead.empty())
    blocks.push_back(mrkdwn_section(lead));

  blocks.push_back({{"type", "section"},
                    {"fields",
                     {field("Status", field_text(recommendation, "status")),
                      field("Risk", field_text(recommendation, "risk")),
                      field("Target", field_text(recommendation, "target")),
                      field("Estimate", estimate_line(recommendation))}}});

  const std::string statement = field_text(recommendation, "statement");
  if (!statement.empty()) {
    // Leave room for the fences; a cut statement still shows where it was cut.
    blocks.push_back(mrkdwn_section("```" + truncate_text(slack_escape(statement), section_limit - 6) + "```"));
  }

  std::string evidence;
  for (const auto& line : finding_lines(recommendation))
    evidence += "\n\u2022 " + slack_escape(line);
  if (!evidence.empty())
    blocks.push_back(mrkdwn_section("*Evidence*" + evidence));

  std::string queries;
  for (const auto& line : query_lines(recommendation, 300))
    queries += "\n\u2022 " + slack_escape(line);
  if (!queries.empty())
    blocks.push_back(mrkdwn_section("*Queries*" + queries));

  std::string context = "pgadvisor \u00b7 ";
  context.append(to_string(event)).append(" \u00b7 ").append(field_text(recommendation, "id"));
  context.append(" \u00b7 ").append(details.occurred_at);
  Json element = {{"type", "mrkdwn"}, {"text", slack_escape(context)}};
  blocks.push_back({{"type", "context"}, {"elements", Json::array({element})}});
  blocks.erase(blocks.begin() + std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(blocks.size()), max_blocks),
               blocks.end());

  std::string fallback = title;
  if (!details.summary.empty())
    fallback += ": " + details.summary;
  return {{"text", truncate_text(slack_escape(fallback), section_limit)}, {"blocks", blocks}};
}

}  // namespace advisor::delivery
