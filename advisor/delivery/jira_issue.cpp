#include "advisor/delivery/jira_issue.hpp"

#include <cctype>

#include "advisor/delivery/analysis_text.hpp"
#include "advisor/delivery/payload_formats.hpp"

namespace advisor::delivery {

using Json = nlohmann::ordered_json;

namespace {

constexpr std::size_t summary_limit = 255;          // Jira refuses longer summaries
constexpr std::size_t description_limit = 30000;    // under Jira's 32,767-character field limit

std::string label_word(const std::string& text)
{
  std::string out;
  for (char c : text)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return out;
}

std::string description(Event event, const Json& recommendation, const EventDetails& details)
{
  std::string text = "h3. " + event_title(event, recommendation) + "\n";
  text += "*Event:* " + std::string(to_string(event)) + " at " + details.occurred_at + "\n";
  if (!details.summary.empty())
    text += "*What happened:* " + details.summary + "\n";
  text += "*Status:* " + field_text(recommendation, "status") + "\n";
  const std::string estimate = estimate_line(recommendation);
  if (!estimate.empty())
    text += "*Estimate:* " + estimate + "\n";
  const std::string rationale = field_text(recommendation, "rationale");
  if (!rationale.empty())
    text += "\nh4. Why\n" + rationale + "\n";
  text += "\nh4. Statement\n{code:sql}\n" + field_text(recommendation, "statement") + "\n{code}\n";
  const auto findings = finding_lines(recommendation);
  if (!findings.empty()) {
    text += "\nh4. Evidence\n";
    for (const auto& line : findings)
      text += "* " + line + "\n";
  }
  const auto queries = query_lines(recommendation, 2000);
  if (!queries.empty()) {
    text += "\nh4. Queries\n";
    for (const auto& line : queries)
      text += "* {noformat}" + line + "{noformat}\n";
  }
  if (!details.data.is_null())
    text += "\nh4. Details\n{code:json}\n" + details.data.dump(2, ' ', false, Json::error_handler_t::replace) + "\n{code}\n";
  text += "\n_Filed by pgadvisor; recommendation " + field_text(recommendation, "id") + "._\n";
  return truncate_text(text, description_limit);
}

}  // namespace

std::string jira_label(const std::string& recommendation_id)
{
  return "pgadvisor-" + label_word(recommendation_id);
}

Json jira_issue(Event event, const Json& recommendation, const EventDetails& details, const JiraOptions& options)
{
  const std::string id = field_text(recommendation, "id");
  std::string summary = "[pgadvisor] " + field_text(recommendation, "kind") + " on " + field_text(recommendation, "target") +
                        ": " + field_text(recommendation, "statement");
  for (char& c : summary)
    if (c == '\n' || c == '\r')
      c = ' ';  // Jira summaries are one line
  Json labels = Json::array({"pgadvisor", jira_label(id)});
  const std::string kind = field_text(recommendation, "kind");
  if (!kind.empty())
    labels.push_back("pgadvisor-" + label_word(kind));
  return {{"fields",
           {{"project", {{"key", options.project_key}}},
            {"issuetype", {{"name", options.issue_type}}},
            {"summary", truncate_text(summary, summary_limit)},
            {"description", description(event, recommendation, details)},
            {"labels", labels}}},
          {"properties",
           Json::array({{{"key", "pgadvisor"},
                         {"value",
                          {{"id", id}, {"event", to_string(event)}, {"status", field_text(recommendation, "status")}}}}})}};
}

}  // namespace advisor::delivery
