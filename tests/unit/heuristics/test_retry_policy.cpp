// The webhook retry policy: full-jitter backoff, Retry-After, 410, the dead-letter age.

#include "heuristics/delivery/retry_policy.hpp"
#include "tests/support/catch.hpp"

using heuristics::delivery::AttemptResult;
using heuristics::delivery::DeliveryState;
using heuristics::delivery::RetryPolicy;

namespace {

heuristics::delivery::RandomSource constant(double value)
{
  return [value] { return value; };
}

RetryPolicy policy()
{
  RetryPolicy p;
  p.base_delay_s = 2;
  p.max_delay_s = 60;
  p.max_age_s = 3600;
  return p;
}

}  // namespace

TEST_CASE("retry policy: backoff doubles and is capped", "[retry_policy]")
{
  const auto p = policy();
  CHECK(heuristics::delivery::backoff_delay(p, 1, 1.0) == Approx(2));
  CHECK(heuristics::delivery::backoff_delay(p, 2, 1.0) == Approx(4));
  CHECK(heuristics::delivery::backoff_delay(p, 4, 1.0) == Approx(16));
  CHECK(heuristics::delivery::backoff_delay(p, 6, 1.0) == Approx(60));
  CHECK(heuristics::delivery::backoff_delay(p, 1000, 1.0) == Approx(60));  // no overflow
  CHECK(heuristics::delivery::backoff_delay(p, 0, 1.0) == Approx(2));
}

TEST_CASE("retry policy: full jitter spreads the wait over [0, ceiling)", "[retry_policy]")
{
  const auto p = policy();
  CHECK(heuristics::delivery::backoff_delay(p, 3, 0.0) == Approx(0));
  CHECK(heuristics::delivery::backoff_delay(p, 3, 0.5) == Approx(4));
  CHECK(heuristics::delivery::backoff_delay(p, 3, 0.25) == Approx(2));
  // A broken source cannot push the wait outside the window.
  CHECK(heuristics::delivery::backoff_delay(p, 3, 7.0) == Approx(8));
  CHECK(heuristics::delivery::backoff_delay(p, 3, -1.0) == Approx(0));
}

TEST_CASE("retry policy: 2xx is delivered", "[retry_policy]")
{
  for (long status : {200L, 201L, 202L, 204L}) {
    const auto decision = heuristics::delivery::decide(policy(), {status, {}}, 1, 1000, 1000, constant(0.5));
    CHECK(decision.state == DeliveryState::delivered);
  }
}

TEST_CASE("retry policy: 5xx, 3xx, 4xx and no response are retried with backoff", "[retry_policy]")
{
  for (long status : {0L, 302L, 400L, 404L, 500L, 502L, 503L}) {
    const auto decision = heuristics::delivery::decide(policy(), {status, {}}, 3, 1000, 1100, constant(0.5));
    CHECK(decision.state == DeliveryState::pending);
    CHECK(decision.next_attempt_at == Approx(1100 + 4));  // 0.5 · min(60, 2 · 2²)
  }
}

TEST_CASE("retry policy: 410 disables the endpoint", "[retry_policy]")
{
  const auto decision = heuristics::delivery::decide(policy(), {410, {}}, 1, 1000, 1000, constant(0.5));
  CHECK(decision.state == DeliveryState::disabled);
  CHECK(decision.reason.find("410") != std::string::npos);
}

TEST_CASE("retry policy: 429 with Retry-After seconds is honoured exactly", "[retry_policy]")
{
  const auto decision = heuristics::delivery::decide(policy(), {429, std::string("120")}, 1, 1000, 1000, constant(0.0));
  CHECK(decision.state == DeliveryState::pending);
  CHECK(decision.next_attempt_at == Approx(1120));
  // Longer than the backoff cap: the receiver's word wins.
  const auto longer = heuristics::delivery::decide(policy(), {429, std::string("600")}, 1, 1000, 1000, constant(1.0));
  CHECK(longer.next_attempt_at == Approx(1600));
}

TEST_CASE("retry policy: Retry-After as an HTTP date", "[retry_policy]")
{
  // Thu, 26 Nov 2026 21:00:00 GMT = 1795726800
  const double now = 1795726800 - 90;
  const auto wait = heuristics::delivery::parse_retry_after("Thu, 26 Nov 2026 21:00:00 GMT", now);
  REQUIRE(wait);
  CHECK(*wait == Approx(90));
  const auto past = heuristics::delivery::parse_retry_after("Thu, 26 Nov 2026 21:00:00 GMT", now + 1000);
  REQUIRE(past);
  CHECK(*past == Approx(0));
  const auto decision =
      heuristics::delivery::decide(policy(), {503, std::string("Thu, 26 Nov 2026 21:00:00 GMT")}, 1, now, now, constant(0));
  CHECK(decision.next_attempt_at == Approx(1795726800));
}

TEST_CASE("retry policy: a malformed Retry-After falls back to backoff", "[retry_policy]")
{
  CHECK_FALSE(heuristics::delivery::parse_retry_after("soon", 0));
  CHECK_FALSE(heuristics::delivery::parse_retry_after("-5", 0));
  CHECK_FALSE(heuristics::delivery::parse_retry_after("", 0));
  CHECK_FALSE(heuristics::delivery::parse_retry_after("99999999999999999999", 0));
  CHECK_FALSE(heuristics::delivery::parse_retry_after("Thu, 26 Foo 2026 21:00:00 GMT", 0));
  const auto decision = heuristics::delivery::decide(policy(), {429, std::string("soon")}, 1, 1000, 1000, constant(1.0));
  CHECK(decision.state == DeliveryState::pending);
  CHECK(decision.next_attempt_at == Approx(1002));
}

TEST_CASE("retry policy: past the maximum age the delivery is dead", "[retry_policy]")
{
  const auto p = policy();
  const auto dead = heuristics::delivery::decide(p, {500, {}}, 40, 1000, 1000 + 3600, constant(0.5));
  CHECK(dead.state == DeliveryState::dead);
  // A Retry-After beyond the deadline is not scheduled.
  const auto beyond = heuristics::delivery::decide(p, {429, std::string("4000")}, 1, 1000, 1000, constant(0.5));
  CHECK(beyond.state == DeliveryState::dead);
  // A backoff that would overshoot is cut to one last try at the deadline.
  const auto last = heuristics::delivery::decide(p, {500, {}}, 10, 1000, 1000 + 3590, constant(1.0));
  CHECK(last.state == DeliveryState::pending);
  CHECK(last.next_attempt_at == Approx(1000 + 3600));
}

TEST_CASE("retry policy: states round-trip through their stored words", "[retry_policy]")
{
  for (auto state : {DeliveryState::pending, DeliveryState::delivered, DeliveryState::dead, DeliveryState::disabled})
    CHECK(heuristics::delivery::parse_delivery_state(heuristics::delivery::to_string(state)) == state);
  CHECK_FALSE(heuristics::delivery::parse_delivery_state("gone"));
}
