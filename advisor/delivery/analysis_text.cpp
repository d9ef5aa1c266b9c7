#include "advisor/delivery/analysis_text.hpp"

#include <cmath>
#include <cstdio>

#include "advisor/delivery/payload_formats.hpp"

namespace advisor::delivery {

using Json = nlohmann::ordered_json;

namespace {

std::string event_word(Event event)
{
  switch (event) {
  case Event::created:
    return "New recommendation";
  case Event::updated:
    return "Recommendation updated";
  case Event::applied:
    return "Applied";
  case Event::verified:
    return "Verified";
  case Event::regressed:
    return "Regressed";
  case Event::resolved:
    return "Resolved";
  }
  return "Recommendation";
}

const Json* number_at(const Json& object, const char* key)
{
  if (!object.is_object())
    return nullptr;
  const auto found = object.find(key);
  return found != object.end() && found->is_number() ? &*found : nullptr;
}

std::string bytes_text(double bytes)
{
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return format_number(bytes) + " " + units[unit];
}

}  // namespace

std::string format_number(double value)
{
  if (!std::isfinite(value))
    return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string text = buffer;
  while (text.back() == '0')
    text.pop_back();
  if (text.back() == '.')
    text.pop_back();
  return text;
}

std::string truncate_text(const std::string& text, std::size_t max_chars)
{
  if (text.size() <= max_chars)
    return text;
  const std::string ellipsis = "\u2026";
  std::size_t cut = max_chars > ellipsis.size() ? max_chars - ellipsis.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;  // do not split a UTF-8 sequence
  return text.substr(0, cut) + ellipsis;
}

std::string event_title(Event event, const Json& recommendation)
{
  std::string title = event_word(event) + ": " + field_text(recommendation, "kind");
  const std::string target = field_text(recommendation, "target");
  if (!target.empty())
    title += " on " + target;
  const std::string id = field_text(recommendation, "id");
  if (!id.empty())
    title += " (" + id + ")";
  return title;
}

std::string estimate_line(const Json& recommendation)
{
  std::vector<std::string> parts;
  const Json empty = Json::object();
  const Json& estimate = recommendation.contains("estimate") ? recommendation["estimate"] : empty;
  const Json* before = number_at(estimate, "cost_before");
  const Json* after = number_at(estimate, "cost_after");
  if (before && after) {
    std::string cost = "cost " + format_number(before->get<double>()) + " \u2192 " + format_number(after->get<double>());
    if (const Json* improvement = number_at(estimate, "improvement"))
      cost += " (" + format_number(improvement->get<double>() * 100) + " % better)";
    parts.push_back(cost);
  }
  if (const Json* saved = number_at(estimate, "ms_saved_per_day"))
    parts.push_back(std::string("~").append(format_number(saved->get<double>())).append(" ms saved per day"));
  if (const Json* size = number_at(estimate, "index_bytes"))
    parts.push_back(std::string("index ").append(bytes_text(size->get<double>())));
  std::string line;
  for (const auto& part : parts)
    line += (line.empty() ? "" : ", ") + part;
  const std::string risk = field_text(recommendation, "risk");
  if (!risk.empty())
    line += (line.empty() ? "" : "; ") + std::string("risk ") + risk;
  if (const Json* confidence = number_at(recommendation, "confidence"))
    line += (line.empty() ? "" : ", ") + std::string("confidence ") + format_number(confidence->get<double>());
  return line;
}

std::vector<std::string> finding_lines(const Json& recommendation)
{
  std::vector<std::string> lines;
  if (!recommendation.is_object() || !recommendation.contains("trace") || !recommendation["trace"].is_object())
    return lines;
  const Json& trace = recommendation["trace"];
  if (!trace.contains("findings") || !trace["findings"].is_array())
    return lines;
  for (const auto& finding : trace["findings"]) {
    std::string line = std::string("[").append(field_text(finding, "id")).append("] ").append(field_text(finding, "title"));
    if (finding.contains("evidence") && finding["evidence"].is_array()) {
      std::string evidence;
      for (const auto& item : finding["evidence"]) {
        const Json* number = number_at(item, "value");
        std::string piece = field_text(item, "name");
        piece.append(" ").append(number ? format_number(number->get<double>()) : field_text(item, "value"));
        const std::string unit = field_text(item, "unit");
        if (!unit.empty())
          piece += " " + unit;
        evidence += (evidence.empty() ? "" : ", ") + piece;
      }
      if (!evidence.empty())
        line += ": " + evidence;
    }
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> query_lines(const Json& recommendation, std::size_t max_chars)
{
  std::vector<std::string> lines;
  if (!recommendation.is_object() || !recommendation.contains("queries") || !recommendation["queries"].is_array())
    return lines;
  for (const auto& query : recommendation["queries"]) {
    std::string line;
    if (const Json* calls = number_at(query, "calls"))
      line.append("calls ").append(format_number(calls->get<double>()));
    if (const Json* mean = number_at(query, "mean_ms"))
      line += (line.empty() ? "" : ", ") + std::string("mean ") + format_number(mean->get<double>()) + " ms";
    line += (line.empty() ? "" : ": ") + truncate_text(field_text(query, "normalized"), max_chars);
    lines.push_back(line);
  }
  return lines;
}

}  // namespace advisor::delivery
