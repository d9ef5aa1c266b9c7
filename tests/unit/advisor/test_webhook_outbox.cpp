// The daemon outbox's log decisions: which worker lines the operator sees at the default level,
// and the one-line summary of a pass.

#include "advisor/daemon/webhook_outbox.hpp"
#include "tests/support/catch.hpp"

using advisor::daemon::LogLevel;

TEST_CASE("webhook outbox: a delivery is debug, every other outcome a warning", "[webhook]")
{
  const std::string head = "webhook ops: recommendation.created msg_0a1b (recommendation r1, attempt 2): ";
  CHECK(advisor::daemon::worker_line_level(head + "delivered, HTTP 204") == LogLevel::debug);
  CHECK(advisor::daemon::worker_line_level(head + "HTTP 500; retry with backoff, next try in 1.2s") ==
        LogLevel::warning);
  CHECK(advisor::daemon::worker_line_level(head + "dead-lettered: HTTP 500; undeliverable") == LogLevel::warning);
  CHECK(advisor::daemon::worker_line_level(head + "HTTP 410; endpoint disabled until re-enabled") ==
        LogLevel::warning);
  // A recommendation id or an error text that merely contains the word is not a delivery.
  CHECK(advisor::daemon::worker_line_level("webhook delivered: recommendation.created msg_1 (recommendation "
                                           "delivered, attempt 1): HTTP 500; next try in 1s") == LogLevel::warning);
}

TEST_CASE("webhook outbox: the pass summary counts outcomes, an idle pass says nothing", "[webhook]")
{
  advisor::delivery::PassSummary idle;
  CHECK(advisor::daemon::pass_summary_line(idle).empty());

  advisor::delivery::PassSummary mixed;
  mixed.attempted = 4;
  mixed.delivered = 2;
  mixed.retrying = 1;
  mixed.dead = 1;
  CHECK(advisor::daemon::pass_summary_line(mixed) == "webhook: 2 delivered, 1 retrying, 1 dead");

  advisor::delivery::PassSummary gone;
  gone.attempted = 1;
  gone.disabled = 1;
  CHECK(advisor::daemon::pass_summary_line(gone) ==
        "webhook: 0 delivered, 0 retrying, 0 dead, 1 endpoint disabled (HTTP 410)");
}
