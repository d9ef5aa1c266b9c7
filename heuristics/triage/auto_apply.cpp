#include "heuristics/triage/auto_apply.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "heuristics/number_format.hpp"

namespace heuristics::triage {

namespace {

std::string trim(const std::string& text)
{
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos)
    return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

//! "HH:MM" → minutes; -1 when malformed.
int parse_clock(const std::string& text)
{
  if (text.size() != 5 || text[2] != ':')
    return -1;
  for (int i : {0, 1, 3, 4})
    if (!std::isdigit(static_cast<unsigned char>(text[static_cast<std::size_t>(i)])))
      return -1;
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  // 24:00 is allowed as an end ("22:00-24:00").
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
    return -1;
  return hours * 60 + minutes;
}

std::string clock_text(int minutes)
{
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", minutes / 60, minutes % 60);
  return buffer;
}

std::optional<model::RecommendationKind> kind_from(const std::string& name)
{
  using model::RecommendationKind;
  for (auto kind : {RecommendationKind::create_index, RecommendationKind::drop_index, RecommendationKind::rewrite,
                    RecommendationKind::analyze, RecommendationKind::create_statistics, RecommendationKind::config})
    if (name == model::to_string(kind))
      return kind;
  return std::nullopt;
}

}  // namespace

bool TimeWindow::contains(int minute_of_day) const
{
  if (begin < end)
    return minute_of_day >= begin && minute_of_day < end;
  return minute_of_day >= begin || minute_of_day < end;  // wraps past midnight
}

model::Result<std::optional<TimeWindow>> parse_time_window(const std::string& text)
{
  const std::string value = trim(text);
  if (value.empty())
    return std::optional<TimeWindow>{};
  const auto dash = value.find('-');
  if (dash == std::string::npos)
    return model::make_error(model::ErrorKind::invalid_input, "auto_apply window '" + value + "' has no '-'",
                             "write it as HH:MM-HH:MM, e.g. 02:00-05:00");
  const int begin = parse_clock(trim(value.substr(0, dash)));
  const int end = parse_clock(trim(value.substr(dash + 1)));
  if (begin < 0 || end < 0 || begin >= 24 * 60)
    return model::make_error(model::ErrorKind::invalid_input, "auto_apply window '" + value + "' is not HH:MM-HH:MM",
                             "e.g. 02:00-05:00 (24-hour clock, local time)");
  if (begin == end % (24 * 60))
    return model::make_error(model::ErrorKind::invalid_input, "auto_apply window '" + value + "' is empty",
                             "leave it empty to allow any time");
  return std::optional<TimeWindow>{TimeWindow{begin, end % (24 * 60)}};
}

bool auto_applicable(model::RecommendationKind kind)
{
  return kind == model::RecommendationKind::create_index || kind == model::RecommendationKind::analyze;
}

model::Result<std::vector<model::RecommendationKind>> parse_kinds(const std::string& text)
{
  std::vector<model::RecommendationKind> kinds;
  std::string word;
  auto flush = [&]() -> std::optional<model::Error> {
    if (word.empty())
      return std::nullopt;
    const auto kind = kind_from(word);
    if (!kind)
      return model::make_error(model::ErrorKind::invalid_input, "auto_apply kinds: '" + word + "' is not a kind",
                               "use create_index and/or analyze");
    if (!auto_applicable(*kind))
      return model::make_error(model::ErrorKind::invalid_input,
                               "auto_apply kinds: " + word + " cannot be applied automatically",
                               "only create_index and analyze can");
    if (std::find(kinds.begin(), kinds.end(), *kind) == kinds.end())
      kinds.push_back(*kind);
    word.clear();
    return std::nullopt;
  };
  for (char c : text) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (auto error = flush())
        return *error;
      continue;
    }
    word += c;
  }
  if (auto error = flush())
    return *error;
  return kinds;
}

const char* to_string(Verdict verdict)
{
  switch (verdict) {
    case Verdict::apply: return "apply";
    case Verdict::disabled: return "disabled";
    case Verdict::kind_not_allowed: return "kind_not_allowed";
    case Verdict::outside_window: return "outside_window";
    case Verdict::over_size_cap: return "over_size_cap";
    case Verdict::too_risky: return "too_risky";
  }
  return "disabled";
}

ApplyDecision decide(const ApplyCandidate& candidate, const AutoApplyPolicy& policy, int minute_of_day)
{
  const std::string kind = model::to_string(candidate.kind);
  if (!policy.enabled)
    return {Verdict::disabled, "auto_apply is off: filed for a person to apply"};
  if (std::find(policy.kinds.begin(), policy.kinds.end(), candidate.kind) == policy.kinds.end() ||
      !auto_applicable(candidate.kind))
    return {Verdict::kind_not_allowed, kind + " is not in [auto_apply] kinds"};
  if (static_cast<int>(candidate.risk) > static_cast<int>(policy.max_risk))
    return {Verdict::too_risky, std::string("risk ") + to_string(candidate.risk) + " is above " +
                                    to_string(policy.max_risk)};
  if (candidate.kind == model::RecommendationKind::create_index) {
    if (candidate.index_bytes <= 0)
      return {Verdict::over_size_cap, "the index's size is unknown, so the size cap cannot be checked"};
    if (candidate.index_bytes > policy.max_index_bytes)
      return {Verdict::over_size_cap, "the index (" + format_bytes(candidate.index_bytes) +
                                          ") is over [auto_apply] max_index_bytes (" +
                                          format_bytes(policy.max_index_bytes) + ")"};
  }
  if (policy.window && !policy.window->contains(minute_of_day))
    return {Verdict::outside_window, "now (" + clock_text(minute_of_day) + ") is outside the window " +
                                         clock_text(policy.window->begin) + "-" + clock_text(policy.window->end)};
  return {Verdict::apply, kind + " allowed: risk " + to_string(candidate.risk) +
                              (policy.window ? ", inside the window" : ", any time")};
}

int local_minute_of_day(std::time_t at)
{
  std::tm tm{};
  localtime_r(&at, &tm);
  return tm.tm_hour * 60 + tm.tm_min;
}

}  // namespace heuristics::triage
