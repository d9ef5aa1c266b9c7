#include "heuristics/verification.hpp"
#include "tests/support/catch.hpp"

using heuristics::verification::Outcome;
using heuristics::verification::VerificationInput;
using heuristics::verification::WorkFigures;
using heuristics::verification::verify;

namespace {

WorkFigures work(double calls, double mean_ms, double seconds = 3600)
{
  WorkFigures w;
  w.calls = calls;
  w.total_ms = calls * mean_ms;
  w.seconds = seconds;
  w.rows = calls * 5;
  w.shared_blks_hit = calls * 900;
  w.shared_blks_read = calls * 100;
  return w;
}

VerificationInput input(double mean_before, double mean_after)
{
  VerificationInput in;
  in.before = work(3600, mean_before);
  in.after = work(3600, mean_after);
  return in;
}

}  // namespace

TEST_CASE("verify: a 10× faster query is verified, with its numbers", "[verification]")
{
  auto in = input(20, 2);
  in.after.shared_blks_hit = 3600 * 4.0;
  in.after.shared_blks_read = 0;
  const auto v = verify(in);
  CHECK(v.outcome == Outcome::verified);
  CHECK(v.speedup == Approx(10));
  CHECK(v.mean_before_ms == Approx(20));
  CHECK(v.mean_after_ms == Approx(2));
  CHECK(v.total_ms_per_hour_before == Approx(72000));
  CHECK(v.total_ms_per_hour_after == Approx(7200));
  CHECK(v.buffers_per_call_before == Approx(1000));
  CHECK(v.buffers_per_call_after == Approx(4));
  CHECK(v.rows_per_call_after == Approx(5));
  CHECK(v.saved_ms_per_hour == Approx(64800));
  CHECK(v.reason.rfind("10.00× faster, saving 64,800 ms per hour", 0) == 0);
}

TEST_CASE("verify: too few calls on either side is pending", "[verification]")
{
  auto in = input(20, 2);
  in.after.calls = 50;
  in.after.total_ms = 100;
  const auto v = verify(in);
  CHECK(v.outcome == Outcome::pending);
  CHECK(v.reason == "waiting for 100 calls on each side (before 3,600, after 50)");
  auto no_time = input(20, 2);
  no_time.before.seconds = 0;
  CHECK(verify(no_time).outcome == Outcome::pending);
  heuristics::verification::VerificationOptions strict;
  strict.min_calls = 10000;
  CHECK(verify(input(20, 2), strict).outcome == Outcome::pending);
}

TEST_CASE("verify: small changes are no_effect, slower is regressed", "[verification]")
{
  CHECK(verify(input(20, 18)).outcome == Outcome::no_effect);
  CHECK(verify(input(20, 22)).outcome == Outcome::no_effect);
  const auto slower = verify(input(20, 30));
  CHECK(slower.outcome == Outcome::regressed);
  CHECK(slower.reason.rfind("slower after the change (1.50×)", 0) == 0);
}

TEST_CASE("verify: write statements on the table that slow down are reported", "[verification]")
{
  auto in = input(20, 2);  // saves 18 ms × 3,600 calls/h = 64,800 ms/h
  heuristics::verification::WriteStatement insert{"ins", work(36000, 0.5), work(36000, 0.75)};
  heuristics::verification::WriteStatement steady{"upd", work(3600, 1.0), work(3600, 1.05)};
  heuristics::verification::WriteStatement rare{"del", work(10, 1.0), work(10, 50)};  // too few calls
  in.writes = {insert, steady, rare};
  auto v = verify(in);
  CHECK(v.outcome == Outcome::verified);
  REQUIRE(v.write_slowdowns.size() == 1);
  CHECK(v.write_slowdowns[0].fingerprint == "ins");
  CHECK(v.write_slowdowns[0].ratio == Approx(1.5));
  CHECK(v.write_slowdowns[0].extra_ms_per_hour == Approx(9000));
  CHECK(v.reason.find("1 write statement(s) slower, costing 9,000 ms per hour") != std::string::npos);

  // The writes now lose more than the query gains: the change regressed the workload.
  in.writes = {{"ins", work(360000, 0.5), work(360000, 0.75)}};
  v = verify(in);
  CHECK(v.outcome == Outcome::regressed);
  CHECK(v.reason.rfind("the writes lost more (90,000 ms/h) than the query gained (64,800 ms/h)", 0) == 0);
}
