#include "heuristics/delivery/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <ctime>
#include <string>

namespace heuristics::delivery {

namespace {

bool all_digits(std::string_view text)
{
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trim(std::string_view text)
{
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"): RFC 9110 requires senders to use it.
std::optional<double> parse_http_date(std::string_view text)
{
  static constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT")
    return std::nullopt;
  const std::string_view day = text.substr(5, 2);
  const std::string_view month = text.substr(8, 3);
  const std::string_view year = text.substr(12, 4);
  const std::string_view clock = text.substr(17, 8);
  if (!all_digits(day) || !all_digits(year) || clock[2] != ':' || clock[5] != ':' ||
      !all_digits(clock.substr(0, 2)) || !all_digits(clock.substr(3, 2)) || !all_digits(clock.substr(6, 2)))
    return std::nullopt;
  const auto found = std::find(months.begin(), months.end(), month);
  if (found == months.end())
    return std::nullopt;
  std::tm tm{};
  tm.tm_mday = std::stoi(std::string(day));
  tm.tm_mon = static_cast<int>(found - months.begin());
  tm.tm_year = std::stoi(std::string(year)) - 1900;
  tm.tm_hour = std::stoi(std::string(clock.substr(0, 2)));
  tm.tm_min = std::stoi(std::string(clock.substr(3, 2)));
  tm.tm_sec = std::stoi(std::string(clock.substr(6, 2)));
  if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return std::nullopt;
  return static_cast<double>(::timegm(&tm));
}

}  // namespace

const char* to_string(DeliveryState state)
{
  switch (state) {
  case DeliveryState::pending:
    return "pending";
  case DeliveryState::delivered:
    return "delivered";
  case DeliveryState::dead:
    return "dead";
  case DeliveryState::disabled:
    return "disabled";
  }
  return "pending";
}

std::optional<DeliveryState> parse_delivery_state(std::string_view text)
{
  for (auto state : {DeliveryState::pending, DeliveryState::delivered, DeliveryState::dead, DeliveryState::disabled})
    if (text == to_string(state))
      return state;
  return std::nullopt;
}

double backoff_delay(const RetryPolicy& policy, int attempts, double unit_random)
{
  const int exponent = std::clamp(attempts - 1, 0, 62);
  const double ceiling = std::min(policy.max_delay_s, policy.base_delay_s * std::ldexp(1.0, exponent));
  return std::clamp(unit_random, 0.0, 1.0) * std::max(ceiling, 0.0);
}

std::optional<double> parse_retry_after(std::string_view value, double now)
{
  value = trim(value);
  if (all_digits(value)) {
    if (value.size() > 12)  // more than 30,000 years: treat as malformed rather than overflow
      return std::nullopt;
    return std::stod(std::string(value));
  }
  if (auto at = parse_http_date(value))
    return std::max(0.0, *at - now);
  return std::nullopt;
}

Decision decide(const RetryPolicy& policy, const AttemptResult& result, int attempts, double queued_at, double now,
                const RandomSource& random)
{
  const long status = result.http_status;
  if (status >= 200 && status < 300)
    return {DeliveryState::delivered, now, "HTTP " + std::to_string(status)};
  if (status == 410)
    return {DeliveryState::disabled, now, "HTTP 410: the endpoint is gone; no more deliveries to it"};

  const std::string what = status == 0 ? std::string("no response") : "HTTP " + std::to_string(status);
  const double deadline = queued_at + policy.max_age_s;
  if (now >= deadline)
    return {DeliveryState::dead, now, what + "; undeliverable for longer than the maximum age"};

  std::optional<double> wait;
  if (result.retry_after)
    wait = parse_retry_after(*result.retry_after, now);
  if (wait) {
    // The receiver asked for this: never earlier, and give up if it is past the deadline.
    if (now + *wait > deadline)
      return {DeliveryState::dead, now, what + "; Retry-After is past the maximum age"};
    const std::string seconds = std::to_string(static_cast<long long>(*wait));
    return {DeliveryState::pending, now + *wait, what + "; retry after " + seconds + "s as asked"};
  }
  const double delay = backoff_delay(policy, attempts, random ? random() : 1.0);
  return {DeliveryState::pending, std::min(now + delay, deadline), what + "; retry with backoff"};
}

}  // namespace heuristics::delivery
