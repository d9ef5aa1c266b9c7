#pragma once
// What to do after one webhook delivery attempt: done, retry later (exponential backoff with full
// jitter, or the receiver's Retry-After), give up (dead letter), or stop sending to the endpoint
// (410 Gone). Pure: the clock and the random source are parameters, so every decision is testable.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace heuristics::delivery {

struct RetryPolicy {
  double base_delay_s = 1;      //!< the first retry waits up to this long
  double max_delay_s = 3600;    //!< no single wait is longer (before Retry-After)
  double max_age_s = 86400;     //!< a delivery not done this long after it was queued is dead
};

//! A number in [0, 1). The worker passes a seeded engine; tests pass a constant.
using RandomSource = std::function<double()>;

enum class DeliveryState { pending, delivered, dead, disabled };

//! "pending", "delivered", "dead", "disabled": the words stored in the outbox.
const char* to_string(DeliveryState state);
std::optional<DeliveryState> parse_delivery_state(std::string_view text);

//! The result of one attempt as the sender saw it.
struct AttemptResult {
  long http_status = 0;                    //!< 0: no HTTP response (connect error, timeout, TLS)
  std::optional<std::string> retry_after;  //!< the Retry-After header, verbatim, when present
};

struct Decision {
  DeliveryState state = DeliveryState::pending;
  double next_attempt_at = 0;  //!< meaningful when pending (Unix seconds)
  std::string reason;          //!< one line for the log and the outbox's last_error
};

//! The wait before retry number `attempts` (1 = the first retry): uniform in
//! [0, min(max_delay_s, base_delay_s · 2^(attempts-1))) ("full jitter"), so that many daemons
//! retrying the same receiver do not stampede it in step.
double backoff_delay(const RetryPolicy& policy, int attempts, double unit_random);

//! Seconds to wait from a Retry-After value: delta-seconds ("120") or an HTTP-date
//! ("Wed, 21 Oct 2026 07:28:00 GMT", relative to `now`). nullopt when it is neither; a date in
//! the past is 0.
std::optional<double> parse_retry_after(std::string_view value, double now);

//! Decides after attempt number `attempts` (1-based, this one included) of a delivery queued at
//! `queued_at`. 2xx: delivered. 410: disabled (the endpoint is gone). Anything else (3xx is
//! not followed, 4xx, 5xx, no response) is retried: at the time Retry-After says when the
//! receiver gave one (429, 503…), else after backoff_delay(). A retry that would fall after
//! queued_at + max_age_s is not scheduled: the delivery is dead instead, except that a backoff
//! is shortened so that one last attempt happens at the deadline.
Decision decide(const RetryPolicy& policy, const AttemptResult& result, int attempts, double queued_at, double now,
                const RandomSource& random);

}  // namespace heuristics::delivery
