// The daemon outbox's log decisions: which worker lines the operator sees at the default level,
// and the one-line summary of a pass.

#include "advisor/daemon/webhook_outbox.hpp"
#include "tests/support/catch.hpp"

using advisor::daemon::LogLevel;

TEST_CASE("webhook outbox: a delivery is debug, every other outcome a warning", "[webhook]")
{
  using heuristics::delivery::DeliveryState;
  CHECK(advisor::daemon::worker_line_level(DeliveryState::delivered) == LogLevel::debug);
  CHECK(advisor::daemon::worker_line_level(DeliveryState::pending) == LogLevel::warning);
  CHECK(advisor::daemon::worker_line_level(DeliveryState::dead) == LogLevel::warning);
  CHECK(advisor::daemon::worker_line_level(DeliveryState::disabled) == LogLevel::warning);
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
