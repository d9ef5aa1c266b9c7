#include "heuristics/detection/deltas.hpp"
#include "tests/support/catch.hpp"

namespace {

using heuristics::detection::DeltaTracker;
using heuristics::detection::DeltaWindow;
using heuristics::detection::WindowMark;

model::StatementCounters counters(std::int64_t queryid, std::int64_t calls, double total_ms, bool toplevel = true,
                                  std::int64_t userid = 10)
{
  model::StatementCounters c;
  c.key = model::StatementKey{userid, 5, queryid, toplevel};
  c.calls = calls;
  c.total_exec_ms = total_ms;
  c.rows = calls * 3;
  c.shared_blks_hit = calls * 7;
  const double mean = calls > 0 ? total_ms / calls : 0;
  c.sum_sq_exec_ms = static_cast<double>(calls) * mean * mean;
  return c;
}

model::Sample sample(double at, std::vector<model::StatementCounters> statements, std::int64_t dealloc = 0,
                     double stats_reset = 1000, double postmaster_start = 500)
{
  model::Sample s;
  s.taken_at = at;
  s.postmaster_start = postmaster_start;
  s.statements = std::move(statements);
  s.info = model::StatementsInfo{dealloc, stats_reset};
  return s;
}

const heuristics::detection::StatementDelta* find(const DeltaWindow& w, std::int64_t queryid, bool toplevel = true)
{
  for (const auto& d : w.statements)
    if (d.key.queryid == queryid && d.key.toplevel == toplevel)
      return &d;
  return nullptr;
}

void require_no_negative(const DeltaWindow& w)
{
  for (const auto& d : w.statements) {
    REQUIRE(d.calls > 0);
    REQUIRE(d.total_exec_ms >= 0);
    REQUIRE(d.rows >= 0);
    REQUIRE(d.shared_blks_hit >= 0);
    REQUIRE(d.sum_sq_exec_ms >= 0);
  }
}

}  // namespace

TEST_CASE("deltas: first sighting gives no delta, the second sample does", "[heuristics]")
{
  DeltaTracker tracker;
  const auto first = tracker.update(sample(100, {counters(1, 10, 50)}));
  CHECK(first.statements.empty());
  CHECK(first.first_sightings == 1);
  CHECK(first.marked(WindowMark::first_sample));
  CHECK_FALSE(first.clean());
  CHECK(first.seconds() == 0);

  const auto second = tracker.update(sample(160, {counters(1, 25, 140), counters(2, 4, 8)}));
  CHECK(second.seconds() == 60);
  CHECK(second.clean());
  CHECK(second.first_sightings == 1);  // key 2: no delta yet
  REQUIRE(second.statements.size() == 1);
  const auto* d = find(second, 1);
  REQUIRE(d != nullptr);
  CHECK(d->calls == 15);
  CHECK(d->total_exec_ms == Approx(90));
  CHECK(d->mean_ms() == Approx(6));
  CHECK(d->rows == 45);
  CHECK(d->shared_blks_hit == 105);
}

TEST_CASE("deltas: an idle key gives no delta", "[heuristics]")
{
  DeltaTracker tracker;
  tracker.update(sample(100, {counters(1, 10, 50)}));
  const auto w = tracker.update(sample(160, {counters(1, 10, 50)}));
  CHECK(w.statements.empty());
  CHECK(w.clean());
}

TEST_CASE("deltas: a full reset starts new baselines for every key, never a negative delta", "[heuristics]")
{
  DeltaTracker tracker;
  tracker.update(sample(100, {counters(1, 100, 500), counters(2, 10, 10)}));
  // Reset, then key 2 ran more than it had before: still no delta (some work predates the reset).
  const auto reset = tracker.update(sample(160, {counters(1, 3, 9), counters(2, 40, 40)}, 0, 2000));
  CHECK(reset.marked(WindowMark::stats_reset));
  CHECK_FALSE(reset.clean());
  CHECK(reset.statements.empty());
  CHECK(reset.new_baselines == 2);
  const auto after = tracker.update(sample(220, {counters(1, 8, 29), counters(2, 41, 42)}, 0, 2000));
  CHECK(after.clean());
  REQUIRE(find(after, 1) != nullptr);
  CHECK(find(after, 1)->calls == 5);
  CHECK(find(after, 1)->total_exec_ms == Approx(20));
  CHECK(find(after, 2)->calls == 1);
  require_no_negative(after);
}

TEST_CASE("deltas: a server restart marks the window and re-baselines", "[heuristics]")
{
  DeltaTracker tracker;
  tracker.update(sample(100, {counters(1, 100, 500)}));
  const auto w = tracker.update(sample(160, {counters(1, 200, 900)}, 0, 1000, 150));
  CHECK(w.marked(WindowMark::server_restart));
  CHECK(w.statements.empty());
  CHECK(w.new_baselines == 1);
}

TEST_CASE("deltas: one key going backwards (eviction and re-creation) is a new baseline for it alone",
          "[heuristics]")
{
  DeltaTracker tracker;
  tracker.update(sample(100, {counters(1, 100, 500), counters(2, 10, 10)}));
  const auto w = tracker.update(sample(160, {counters(1, 2, 4), counters(2, 12, 14)}, 7));
  CHECK(w.marked(WindowMark::evictions));
  CHECK(w.marked(WindowMark::counters_reset));
  CHECK(w.evicted == 7);
  CHECK(w.clean());  // evictions alone do not spoil the other keys' window
  CHECK(w.new_baselines == 1);
  REQUIRE(w.statements.size() == 1);
  CHECK(find(w, 2)->calls == 2);
  require_no_negative(w);
  // From the new baseline on, key 1 has deltas again.
  const auto next = tracker.update(sample(220, {counters(1, 5, 10), counters(2, 12, 14)}, 7));
  REQUIRE(find(next, 1) != nullptr);
  CHECK(find(next, 1)->calls == 3);
  CHECK(next.evicted == 0);
  CHECK_FALSE(next.marked(WindowMark::evictions));
}

TEST_CASE("deltas: any counter lower than before is a reset even when calls grew", "[heuristics]")
{
  DeltaTracker tracker;
  tracker.update(sample(100, {counters(1, 10, 500)}));
  auto recreated = counters(1, 12, 30);  // more calls, less total time: a new entry
  const auto w = tracker.update(sample(160, {recreated}));
  CHECK(w.statements.empty());
  CHECK(w.new_baselines == 1);
}

TEST_CASE("deltas: a PostgreSQL 17 stats_since change is a reset", "[heuristics]")
{
  DeltaTracker tracker;
  auto before = counters(1, 10, 50);
  before.stats_since = 1000;
  tracker.update(sample(100, {before}));
  auto after = counters(1, 30, 150);
  after.stats_since = 1100;
  const auto w = tracker.update(sample(160, {after}));
  CHECK(w.statements.empty());
  CHECK(w.marked(WindowMark::counters_reset));
}

TEST_CASE("deltas: toplevel and nested entries of one queryid are separate keys", "[heuristics]")
{
  DeltaTracker tracker;
  tracker.update(sample(100, {counters(1, 10, 10, true), counters(1, 100, 50, false)}));
  CHECK(tracker.size() == 2);
  const auto w = tracker.update(sample(160, {counters(1, 11, 12, true), counters(1, 150, 80, false)}));
  REQUIRE(w.statements.size() == 2);
  CHECK(find(w, 1, true)->calls == 1);
  CHECK(find(w, 1, false)->calls == 50);
  CHECK(find(w, 1, false)->total_exec_ms == Approx(30));
  const auto merged = heuristics::detection::merge_by_queryid(w.statements);
  REQUIRE(merged.size() == 1);
  CHECK(merged[0].calls == 51);
  CHECK(merged[0].total_exec_ms == Approx(32));
}

TEST_CASE("deltas: the LRU bounds memory and a dropped key is a first sighting again", "[heuristics]")
{
  DeltaTracker tracker(heuristics::detection::DeltaOptions{3});
  tracker.update(sample(100, {counters(1, 1, 1), counters(2, 1, 1), counters(3, 1, 1)}));
  CHECK(tracker.size() == 3);
  // Key 1 is refreshed, 4 arrives: key 2 (least recently seen) goes.
  tracker.update(sample(160, {counters(1, 2, 2), counters(4, 1, 1)}));
  CHECK(tracker.size() == 3);
  CHECK(tracker.dropped_total() == 1);
  const auto w = tracker.update(sample(220, {counters(1, 3, 3), counters(2, 5, 5)}));
  CHECK(w.first_sightings == 1);  // key 2 was forgotten
  REQUIRE(w.statements.size() == 1);
  CHECK(find(w, 1)->calls == 1);
  CHECK(tracker.size() == 3);

  // A million keys through a bound of 1,000: the state never grows past it.
  DeltaTracker bounded(heuristics::detection::DeltaOptions{1000});
  for (int batch = 0; batch < 100; ++batch) {
    std::vector<model::StatementCounters> many;
    for (int i = 0; i < 10000; ++i)
      many.push_back(counters(batch * 10000 + i, 1, 1));
    bounded.update(sample(100 + batch, std::move(many)));
    REQUIRE(bounded.size() <= 1000);
  }
  CHECK(bounded.dropped_total() == 1000000 - 1000);
  bounded.set_capacity(10);
  CHECK(bounded.size() == 10);
}

TEST_CASE("deltas: a sample not newer than the previous one gives no window", "[heuristics]")
{
  DeltaTracker tracker;
  tracker.update(sample(100, {counters(1, 10, 10)}));
  const auto w = tracker.update(sample(90, {counters(1, 20, 20)}));
  CHECK(w.marked(WindowMark::clock_backwards));
  CHECK(w.statements.empty());
  CHECK(w.seconds() == 0);
  const auto next = tracker.update(sample(150, {counters(1, 25, 25)}));
  CHECK(find(next, 1)->calls == 5);
}

TEST_CASE("deltas: window stddev from two samples, and the StatementStats view", "[heuristics]")
{
  // 2 calls of 10 ms then 2 calls of 30 ms: window = the two 30 ms calls, stddev 0;
  // then one call of 10 and one of 30 in a window: mean 20, stddev 10.
  heuristics::detection::StatementDelta d;
  d.key.queryid = -42;
  d.calls = 2;
  d.total_exec_ms = 40;
  d.sum_sq_exec_ms = 100 + 900;
  CHECK(d.mean_ms() == Approx(20));
  CHECK(d.stddev_ms() == Approx(10));
  const auto stats = heuristics::detection::to_statement_stats(d, 60);
  CHECK(stats.queryid == "-42");
  CHECK(stats.calls == 2);
  CHECK(stats.mean_ms == Approx(20));
  CHECK(stats.stddev_ms == Approx(10));
  CHECK(stats.window_seconds == 60);
}
