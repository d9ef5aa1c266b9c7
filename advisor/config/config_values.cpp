#include "advisor/config/config_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "heuristics/triage/auto_apply.hpp"

namespace advisor::config {

namespace {

std::string lower(std::string_view text)
{
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

//! Splits "60s" into 60 and "s"; nullopt unless the number part is a non-negative decimal.
std::optional<std::pair<double, std::string>> number_and_unit(std::string_view text)
{
  const std::string t = trim(text);
  std::size_t end = 0;
  while (end < t.size() && (std::isdigit(static_cast<unsigned char>(t[end])) || t[end] == '.'))
    ++end;
  if (end == 0)
    return std::nullopt;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + end, value);
  if (ec != std::errc() || ptr != t.data() + end || !std::isfinite(value))
    return std::nullopt;
  return std::make_pair(value, trim(std::string_view(t).substr(end)));
}

//! The error's message without `prefix` (the key it names is in the config message already),
//! with its hint.
std::string problem_text(const model::Error& error, std::string_view prefix)
{
  std::string text = error.message;
  if (text.starts_with(prefix))
    text = text.substr(prefix.size());
  if (!error.hint.empty())
    text += "; " + error.hint;
  return text;
}

//! Checks beyond the type: values the daemon parses with the triage's own parsers, so that a
//! bad one stops the start-up (or --check-config) with its line instead of a later cycle.
std::optional<std::string> check_meaning(const KeySpec& key, std::string_view text)
{
  if (key.section != "auto_apply")
    return std::nullopt;
  if (key.name == "kinds") {
    const auto kinds = heuristics::triage::parse_kinds(std::string(text));
    if (!kinds)
      return problem_text(kinds.error(), "auto_apply kinds: ");
  } else if (key.name == "window") {
    const auto window = heuristics::triage::parse_time_window(std::string(text));
    if (!window)
      return problem_text(window.error(), "auto_apply window ");
  }
  return std::nullopt;
}

}  // namespace

std::string trim(std::string_view text)
{
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text)
{
  const auto parsed = number_and_unit(text);
  if (!parsed)
    return std::nullopt;
  const auto& [value, unit] = *parsed;
  double factor = 0;
  if (unit == "ms")
    factor = 1;
  else if (unit.empty() || unit == "s")
    factor = 1000;
  else if (unit == "m" || unit == "min")
    factor = 60'000;
  else if (unit == "h")
    factor = 3'600'000;
  else if (unit == "d")
    factor = 86'400'000;
  else
    return std::nullopt;
  const double ms = value * factor;
  if (ms > 1e15)  // beyond any sensible setting; also keeps the cast defined
    return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(ms)));
}

std::optional<std::int64_t> parse_integer(std::string_view text)
{
  const auto parsed = number_and_unit(text);
  if (!parsed)
    return std::nullopt;
  const auto& [value, unit] = *parsed;
  if (value != std::floor(value))
    return std::nullopt;
  double factor = 1;
  if (unit == "k" || unit == "K")
    factor = 1024;
  else if (unit == "M")
    factor = 1024.0 * 1024;
  else if (unit == "G")
    factor = 1024.0 * 1024 * 1024;
  else if (!unit.empty())
    return std::nullopt;
  const double result = value * factor;
  if (result > 9e18)
    return std::nullopt;
  return static_cast<std::int64_t>(result);
}

std::optional<double> parse_number(std::string_view text)
{
  const auto parsed = number_and_unit(text);
  if (!parsed || !parsed->second.empty())
    return std::nullopt;
  return parsed->first;
}

std::optional<bool> parse_boolean(std::string_view text)
{
  const std::string t = lower(trim(text));
  if (t == "on" || t == "true" || t == "yes" || t == "1")
    return true;
  if (t == "off" || t == "false" || t == "no" || t == "0")
    return false;
  return std::nullopt;
}

std::optional<std::string> check_value(const KeySpec& key, std::string_view text)
{
  switch (key.type) {
  case KeyType::string:
    return check_meaning(key, text);
  case KeyType::path:
    return std::nullopt;
  case KeyType::duration:
    if (!parse_duration(text))
      return "expected a duration such as 500ms, 60s, 5m, 2h or 7d";
    return std::nullopt;
  case KeyType::integer:
    if (!parse_integer(text))
      return "expected a whole number, optionally with k, M or G";
    return std::nullopt;
  case KeyType::number:
    if (!parse_number(text))
      return "expected a non-negative number";
    return std::nullopt;
  case KeyType::boolean:
    if (!parse_boolean(text))
      return "expected on or off";
    return std::nullopt;
  case KeyType::choice: {
    const std::string value = trim(text);
    std::string_view rest = key.choices;
    while (!rest.empty()) {
      const auto bar = rest.find('|');
      if (rest.substr(0, bar) == value)
        return std::nullopt;
      rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
    }
    return "expected one of " + std::string(key.choices);
  }
  }
  return "unknown key type";
}

}  // namespace advisor::config
