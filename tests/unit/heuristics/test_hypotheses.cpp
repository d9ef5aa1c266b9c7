#include <algorithm>
#include <fstream>
#include <sstream>

#include "heuristics/hypotheses/hypotheses.hpp"
#include "heuristics/hypotheses/plan_diff.hpp"
#include "tests/support/catch.hpp"

using namespace heuristics::hypotheses;  // NOLINT: test file, many short names

namespace {

WorkFigures work(double calls, double total_ms, double seconds = 3600)
{
  WorkFigures w;
  w.calls = calls;
  w.total_ms = total_ms;
  w.seconds = seconds;
  w.rows = calls * 10;
  w.shared_blks_hit = calls * 50;
  return w;
}

PlanOutline index_plan()
{
  return {"aaaa", {{"Nested Loop", "", ""},
                   {"Index Scan", "shop.orders", "orders_customer_id_idx"},
                   {"Index Scan", "shop.customers", "customers_pkey"}}};
}

PlanOutline seq_plan()
{
  return {"bbbb", {{"Hash Join", "", ""}, {"Seq Scan", "shop.orders", ""}, {"Hash", "", ""},
                   {"Index Scan", "shop.customers", "customers_pkey"}}};
}

//! The staged regression: the index the plan used is gone, the table grew and is stale.
FingerprintEvidence regression()
{
  FingerprintEvidence e;
  e.fingerprint = "q1";
  e.detection = "regressed";
  e.baseline = work(1000, 1000);      // 1 ms
  e.current = work(1000, 4100);       // 4.1 ms
  e.plan_change = PlanChange{index_plan(), seq_plan(), 1699920000.0 + 14 * 3600 + 5 * 60};
  TableEvidence orders;
  orders.name = "shop.orders";
  orders.live_rows_before = 1000000;
  orders.live_rows_now = 1380000;
  orders.modified_since_analyze = 1200000;
  orders.analyze_age_seconds = 9 * 86400.0;
  e.tables = {orders};
  return e;
}

model::Plan load_plan(const std::string& name)
{
  std::ifstream in(std::string(PGADVISOR_FIXTURES) + "/hypotheses/" + name);
  REQUIRE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto plan = model::parse_explain_json(buffer.str());
  REQUIRE(plan.ok());
  return std::move(plan).value();
}

const Hypothesis* find(const std::vector<Hypothesis>& hs, Cause cause)
{
  auto it = std::find_if(hs.begin(), hs.end(), [&](const Hypothesis& h) { return h.cause == cause; });
  return it == hs.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("plan diff: an index scan replaced by a seq scan", "[hypotheses]")
{
  const auto diff = diff_plans(index_plan(), seq_plan());
  REQUIRE(diff.disappeared.size() == 2);
  CHECK(describe(diff.disappeared[1]) == "Index Scan using orders_customer_id_idx on shop.orders");
  CHECK(diff.indexes_disappeared == std::vector<std::string>{"orders_customer_id_idx"});
  CHECK(diff.indexes_appeared.empty());
  CHECK(summarize(diff) == "Nested Loop, Index Scan using orders_customer_id_idx on shop.orders → "
                           "Hash Join, Seq Scan on shop.orders, Hash");
  CHECK(diff_plans(seq_plan(), seq_plan()).empty());
  CHECK(summarize(diff_plans(seq_plan(), seq_plan())) == "same nodes (only the shape changed)");
}

TEST_CASE("plan diff: outline of a parsed plan keeps schema-qualified relations", "[hypotheses]")
{
  auto plan = model::parse_explain_json(R"([{"Plan": {"Node Type": "Index Scan", "Relation Name": "orders",
      "Schema": "shop", "Index Name": "orders_pkey", "Plans": [] }}])");
  REQUIRE(plan.ok());
  const auto outline = outline_of(*plan, "h1");
  CHECK(outline.hash == "h1");
  REQUIRE(outline.items.size() == 1);
  CHECK(describe(outline.items[0]) == "Index Scan using orders_pkey on shop.orders");
}

TEST_CASE("hypotheses: a staged regression puts the plan change first", "[hypotheses]")
{
  const auto e = regression();
  const auto hs = hypothesize(e);
  REQUIRE(hs.size() >= 3);
  CHECK(hs[0].cause == Cause::plan_change);
  CHECK(hs[0].statement.find("14:05 UTC") != std::string::npos);
  CHECK(hs[0].statement.find("Index Scan using orders_customer_id_idx on shop.orders") != std::string::npos);
  REQUIRE(hs[0].remedy.has_value());
  CHECK(*hs[0].remedy == model::RecommendationKind::create_index);
  CHECK(hs[0].remedy_note.find("orders_customer_id_idx") != std::string::npos);

  const auto* stale = find(hs, Cause::stale_statistics);
  REQUIRE(stale != nullptr);
  CHECK(stale->statement == "shop.orders was last analysed 9 days ago (1,200,000 rows modified since, 87 % of the table)");
  CHECK(stale->remedy == model::RecommendationKind::analyze);
  const auto* growth = find(hs, Cause::table_growth);
  REQUIRE(growth != nullptr);
  CHECK(growth->statement.find("grew 38 %") != std::string::npos);
  // The new plan scans orders sequentially: an index addresses the growth.
  CHECK(growth->remedy == model::RecommendationKind::create_index);
  // Ranked strongest first.
  for (std::size_t i = 1; i < hs.size(); ++i)
    CHECK(hs[i - 1].strength >= hs[i].strength);

  const auto line = headline(e, hs);
  CHECK(line.rfind("mean time 4.1× its baseline", 0) == 0);
  CHECK(line.find("the plan changed") != std::string::npos);
}

TEST_CASE("hypotheses: rows, cache misses, spills and load with their numbers", "[hypotheses]")
{
  FingerprintEvidence e;
  e.baseline = work(1000, 1000);
  e.current = work(3000, 9000);  // 3× the calls in the same hour
  e.current.rows = 3000 * 40.0;  // 4× rows per call
  e.current.shared_blks_read = 3000 * 400.0;
  e.baseline.shared_blks_read = 1000 * 20.0;
  e.current.temp_blks_written = 3000 * 128.0;
  const auto hs = hypothesize(e);
  const auto* rows = find(hs, Cause::more_rows);
  REQUIRE(rows != nullptr);
  CHECK(rows->statement == "rows per call 4.0× its baseline (10 → 40)");
  CHECK_FALSE(rows->remedy.has_value());
  CHECK(rows->remedy_note.rfind("none known", 0) == 0);
  const auto* misses = find(hs, Cause::cache_misses);
  REQUIRE(misses != nullptr);
  CHECK(misses->figures[0].value == Approx(400));
  const auto* spill = find(hs, Cause::temp_spill);
  REQUIRE(spill != nullptr);
  CHECK(spill->statement.find("128 temp blocks written per call (1.0 MB)") == 0);
  CHECK(spill->remedy == model::RecommendationKind::config);
  const auto* load = find(hs, Cause::load);
  REQUIRE(load != nullptr);
  CHECK(load->statement.find("calls per second 3.0× the baseline") == 0);
  CHECK(find(hs, Cause::plan_change) == nullptr);
}

TEST_CASE("hypotheses: bloat names no recommendation kind", "[hypotheses]")
{
  FingerprintEvidence e;
  e.current = work(100, 500);
  TableEvidence t;
  t.name = "shop.order_items";
  t.live_rows_before = t.live_rows_now = 1000000;
  t.dead_rows_now = 500000;
  t.analyze_age_seconds = 3600;
  e.tables = {t};
  const auto hs = hypothesize(e);
  REQUIRE(hs.size() == 1);
  CHECK(hs[0].cause == Cause::bloat);
  CHECK(hs[0].statement == "shop.order_items has 500,000 dead tuples (33 % of its rows): scans read dead rows");
  CHECK_FALSE(hs[0].remedy.has_value());
  CHECK(hs[0].remedy_note == "none known: VACUUM shop.order_items and check autovacuum keeps up");
}

TEST_CASE("hypotheses: quiet evidence gives none; no baseline gives no ratios", "[hypotheses]")
{
  FingerprintEvidence e;
  e.baseline = work(1000, 1000);
  e.current = work(1100, 1200);
  TableEvidence t;
  t.name = "shop.products";
  t.live_rows_before = 20000;
  t.live_rows_now = 20100;
  t.modified_since_analyze = 100;
  t.analyze_age_seconds = 86400;
  e.tables = {t};
  CHECK(hypothesize(e).empty());
  CHECK(headline(e, {}) == "mean time 1.1× its baseline (1.00 ms → 1.09 ms)");

  FingerprintEvidence cold;  // nothing before: only absolute signals may fire
  cold.current = work(10, 100);
  cold.current.rows = 1e6;
  cold.current.shared_blks_read = 10 * 5000.0;
  const auto hs = hypothesize(cold);
  REQUIRE(hs.size() == 1);
  CHECK(hs[0].cause == Cause::cache_misses);
  CHECK(hs[0].strength < 0.5);

  FingerprintEvidence empty;
  CHECK(hypothesize(empty).empty());
  TableEvidence never;
  never.name = "x.y";
  never.live_rows_now = 10;
  empty.tables = {never};
  const auto never_analysed = hypothesize(empty);
  REQUIRE(never_analysed.size() == 1);
  CHECK(never_analysed[0].statement.find("x.y was never analysed") == 0);
}

TEST_CASE("hypotheses: real PostgreSQL 15 plans before and after dropping the index", "[hypotheses]")
{
  // tests/fixtures/hypotheses: EXPLAIN (FORMAT JSON, VERBOSE) of one query with
  // orders_customer_id_idx, then after DROP INDEX (captured on the sandbox).
  const auto before = load_plan("plan_index_scan.json");
  const auto after = load_plan("plan_seq_scan.json");
  FingerprintEvidence e;
  e.detection = "regressed";
  e.baseline = work(2000, 2000 * 0.2);  // 0.2 ms a call
  e.current = work(2000, 2000 * 9.5);   // 9.5 ms a call
  e.plan_change = PlanChange{outline_of(before, "h-before"), outline_of(after, "h-after"), 0};
  const auto hs = hypothesize(e);
  REQUIRE_FALSE(hs.empty());
  CHECK(hs[0].cause == Cause::plan_change);
  CHECK(hs[0].statement == "the plan changed: Bitmap Heap Scan on hyp_fixture.orders, Bitmap Index Scan using "
                           "orders_customer_id_idx → Seq Scan on hyp_fixture.orders");
  CHECK(hs[0].remedy == model::RecommendationKind::create_index);
  CHECK(hs[0].remedy_note.find("orders_customer_id_idx") != std::string::npos);
}
