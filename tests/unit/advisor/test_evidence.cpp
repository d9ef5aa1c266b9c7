// Root-cause evidence from the daemon's store: windows into baseline/current, a plan change
// against the most recent other stored plan, table growth and write rate from snapshots, and
// the hypotheses as the trace's JSON.

#include <fstream>
#include <sstream>

#include "advisor/daemon/evidence.hpp"
#include "advisor/daemon/plan_hash.hpp"
#include "connectors/store/evidence_store.hpp"
#include "tests/unit/connectors/store_support.hpp"

namespace hyp = heuristics::hypotheses;

namespace {

constexpr double t0 = 1'700'000'000;  // Unix seconds of the first window's start

std::string fixture_plan(const std::string& name)
{
  std::ifstream in(std::string(PGADVISOR_FIXTURES) + "/plans/" + name + ".json");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

model::Plan parsed(const std::string& json)
{
  auto plan = model::parse_explain_json(json);
  REQUIRE(plan.ok());
  return *plan;
}

connectors::store::WindowRecord window(int index, double calls, double mean_ms, bool clean = true)
{
  connectors::store::WindowRecord w;
  w.target = "prod";
  w.fingerprint = "42";
  w.start_at = t0 + index * 60.0;
  w.end_at = w.start_at + 60;
  w.calls = calls;
  w.total_ms = calls * mean_ms;
  w.mean_ms = mean_ms;
  w.rows = calls;
  w.shared_blks_hit = calls * 4;
  w.shared_blks_read = 0;
  w.clean = clean;
  return w;
}

//! Six normal windows (index scan, 0.1 ms), then the current one (seq scan, 40 ms).
void fill_windows(connectors::store::HistoryStore& store)
{
  std::vector<connectors::store::WindowRecord> windows;
  for (int i = 0; i < 6; ++i)
    windows.push_back(window(i, 100, 0.1));
  windows.push_back(window(6, 100, 40));
  REQUIRE_FALSE(store.add_windows(windows));
}

//! The report of this cycle: the seq-scan plan of shop.orders, with the table's activity.
advisor::AnalysisReport seq_scan_report(std::int64_t live_rows = 500000)
{
  advisor::AnalysisReport report;
  report.plan = parsed(fixture_plan("seq_scan_selective"));
  model::TableInfo orders;
  orders.schema = "shop";
  orders.name = "orders";
  orders.size_bytes = 40 << 20;
  model::TableActivity activity;
  activity.n_live_tup = live_rows;
  activity.n_dead_tup = 10;
  activity.n_mod_since_analyze = 0;
  activity.n_tup_ins = 1000;
  activity.seconds_since_analyze = 3600;
  orders.activity = activity;
  report.tables.push_back(orders);
  return report;
}

std::string hash_of(const std::string& fixture) { return advisor::daemon::plan_hash(parsed(fixture_plan(fixture))); }

}  // namespace

TEST_CASE("evidence: baseline sums the clean windows before the current one", "[evidence]")
{
  store_test::TempStore t;
  std::vector<connectors::store::WindowRecord> windows{window(0, 10, 1), window(1, 20, 2),
                                                       window(2, 999, 500, false), window(3, 30, 9)};
  REQUIRE_FALSE(t.store->add_windows(windows));
  const auto e = advisor::daemon::gather_evidence(*t.store, "prod", "42", "regressed", nullptr, t0 + 240);
  CHECK(e.fingerprint == "42");
  CHECK(e.detection == "regressed");
  CHECK(e.baseline.calls == 30);          // windows 0 and 1; the unclean one is left out
  CHECK(e.baseline.total_ms == 10 + 40);
  CHECK(e.baseline.seconds == 120);
  CHECK(e.current.calls == 30);           // the last window only
  CHECK(e.current.mean_ms() == Approx(9));
  CHECK(e.current.seconds == 60);
  CHECK(e.current.calls_per_second() == Approx(0.5));
  // Without a report: nothing about plans or tables.
  CHECK_FALSE(e.plan_change);
  CHECK(e.tables.empty());
}

TEST_CASE("evidence: no windows at all gives empty figures, not an error", "[evidence]")
{
  store_test::TempStore t;
  const auto report = seq_scan_report();
  const auto e = advisor::daemon::gather_evidence(*t.store, "prod", "42", "slow_mean", &report, t0);
  CHECK(e.baseline.calls == 0);
  CHECK(e.current.calls == 0);
  CHECK_FALSE(e.plan_change);  // no other plan stored
  REQUIRE(e.tables.size() == 1);
  CHECK(e.tables[0].live_rows_before == 0);  // no snapshot: unknown
}

TEST_CASE("evidence: index scan before, seq scan now is a plan change, the top hypothesis", "[evidence]")
{
  // Both orders of the daemon's calls: evidence before or after it records the current plan.
  const bool recorded_first = GENERATE(false, true);
  store_test::TempStore t;
  fill_windows(*t.store);
  const double now = t0 + 7 * 60;
  REQUIRE(t.store->record_plan("prod", "42", hash_of("index_scan"), fixture_plan("index_scan"), t0 + 60).ok());
  REQUIRE(t.store->record_plan("prod", "42", hash_of("index_scan"), fixture_plan("index_scan"), t0 + 360).ok());
  const auto report = seq_scan_report();
  if (recorded_first)
    REQUIRE(t.store->record_plan("prod", "42", hash_of("seq_scan_selective"), report.plan->json, now).ok());

  const auto e = advisor::daemon::gather_evidence(*t.store, "prod", "42", "regressed", &report, now);
  REQUIRE(e.plan_change);
  CHECK(e.plan_change->before.hash == hash_of("index_scan"));
  CHECK(e.plan_change->after.hash == hash_of("seq_scan_selective"));
  CHECK(e.plan_change->changed_at == now);
  // The plans are not VERBOSE: their bare "orders" is qualified from the tables read.
  const hyp::PlanItem index_scan{"Index Scan", "shop.orders", "orders_pkey"};
  const hyp::PlanItem seq_scan{"Seq Scan", "shop.orders", ""};
  CHECK(std::find(e.plan_change->before.items.begin(), e.plan_change->before.items.end(), index_scan) !=
        e.plan_change->before.items.end());
  CHECK(std::find(e.plan_change->after.items.begin(), e.plan_change->after.items.end(), seq_scan) !=
        e.plan_change->after.items.end());

  const auto hypotheses = hyp::hypothesize(e);
  REQUIRE_FALSE(hypotheses.empty());
  CHECK(hypotheses.front().cause == hyp::Cause::plan_change);
  CHECK(hypotheses.front().statement.find("orders_pkey") != std::string::npos);
  CHECK(hypotheses.front().statement.find("Seq Scan on shop.orders") != std::string::npos);
  REQUIRE(hypotheses.front().remedy);
  CHECK(*hypotheses.front().remedy == model::RecommendationKind::create_index);
}

TEST_CASE("evidence: the other plan is the most recently seen one, not the first", "[evidence]")
{
  store_test::TempStore t;
  fill_windows(*t.store);
  const double now = t0 + 7 * 60;
  // Seq scan long ago, then the bitmap plan lately: "before" is the bitmap plan.
  REQUIRE(t.store->record_plan("prod", "42", "0000000000000001", fixture_plan("bitmap_heap_scan"), t0 - 9000).ok());
  REQUIRE(t.store->record_plan("prod", "42", hash_of("index_scan"), fixture_plan("index_scan"), t0 + 300).ok());
  const auto report = seq_scan_report();
  const auto e = advisor::daemon::gather_evidence(*t.store, "prod", "42", "regressed", &report, now);
  REQUIRE(e.plan_change);
  CHECK(e.plan_change->before.hash == hash_of("index_scan"));
}

TEST_CASE("evidence: a plan change older than the baseline explains nothing", "[evidence]")
{
  store_test::TempStore t;
  fill_windows(*t.store);
  const double now = t0 + 7 * 60;
  const auto report = seq_scan_report();
  // The seq scan plan has been the plan since before the first baseline window.
  REQUIRE(t.store->record_plan("prod", "42", hash_of("index_scan"), fixture_plan("index_scan"), t0 - 7200).ok());
  REQUIRE(t.store->record_plan("prod", "42", hash_of("seq_scan_selective"), report.plan->json, t0 - 3600).ok());
  REQUIRE(t.store->record_plan("prod", "42", hash_of("seq_scan_selective"), report.plan->json, now).ok());
  const auto e = advisor::daemon::gather_evidence(*t.store, "prod", "42", "regressed", &report, now);
  CHECK_FALSE(e.plan_change);
  // The same plan as the only stored one is no change either.
  store_test::TempStore single;
  fill_windows(*single.store);
  REQUIRE(single.store->record_plan("prod", "42", hash_of("seq_scan_selective"), report.plan->json, now).ok());
  CHECK_FALSE(advisor::daemon::gather_evidence(*single.store, "prod", "42", "regressed", &report, now).plan_change);
}

TEST_CASE("evidence: table growth and write rate against the snapshot at the baseline", "[evidence]")
{
  store_test::TempStore t;
  fill_windows(*t.store);
  const double now = t0 + 7 * 60;
  model::TableCounters before;
  before.schema = "shop";
  before.name = "orders";
  before.n_live_tup = 300000;
  before.n_tup_ins = 400;  // cumulative: 1000 now, so 600 writes since
  REQUIRE_FALSE(connectors::store::record_table_snapshots(t.store->database(), "prod", t0 - 60, {before}));
  before.n_live_tup = 999;  // an older snapshot: not the one at the baseline's start
  REQUIRE_FALSE(connectors::store::record_table_snapshots(t.store->database(), "prod", t0 - 6000, {before}));

  const auto report = seq_scan_report(450000);
  const auto e = advisor::daemon::gather_evidence(*t.store, "prod", "42", "regressed", &report, now);
  REQUIRE(e.tables.size() == 1);
  const auto& table = e.tables[0];
  CHECK(table.name == "shop.orders");
  CHECK(table.live_rows_before == 300000);
  CHECK(table.live_rows_now == 450000);
  CHECK(table.dead_rows_now == 10);
  CHECK(table.table_bytes == 40 << 20);
  REQUIRE(table.analyze_age_seconds);
  CHECK(*table.analyze_age_seconds == 3600);
  CHECK(table.writes_per_second == Approx(600.0 / (now - (t0 - 60))));

  const auto hypotheses = hyp::hypothesize(e);
  CHECK(std::any_of(hypotheses.begin(), hypotheses.end(), [](const hyp::Hypothesis& h) {
    return h.cause == hyp::Cause::table_growth && h.table == "shop.orders";
  }));
}

TEST_CASE("evidence: counters lower than the snapshot's (a stats reset) give no write rate", "[evidence]")
{
  store_test::TempStore t;
  fill_windows(*t.store);
  model::TableCounters before;
  before.schema = "shop";
  before.name = "orders";
  before.n_live_tup = 500000;
  before.n_tup_ins = 50000;  // more than the 1000 now
  REQUIRE_FALSE(connectors::store::record_table_snapshots(t.store->database(), "prod", t0, {before}));
  const auto report = seq_scan_report();
  const auto e = advisor::daemon::gather_evidence(*t.store, "prod", "42", "regressed", &report, t0 + 420);
  REQUIRE(e.tables.size() == 1);
  CHECK(e.tables[0].writes_per_second == 0);
  CHECK(e.tables[0].live_rows_before == 500000);
}

TEST_CASE("evidence: hypotheses as the trace's JSON", "[evidence]")
{
  hyp::Hypothesis with_remedy;
  with_remedy.cause = hyp::Cause::stale_statistics;
  with_remedy.strength = 0.75;
  with_remedy.statement = "shop.orders was last analysed 9 days ago";
  with_remedy.table = "shop.orders";
  with_remedy.figures = {{"modified_since_analyze", 1200000}, {"analyze_age_seconds", 777600}};
  with_remedy.remedy = model::RecommendationKind::analyze;
  with_remedy.remedy_note = "ANALYZE shop.orders";
  hyp::Hypothesis without;
  without.cause = hyp::Cause::load;
  without.strength = 0.4;
  without.statement = "calls per second 3.0× its baseline";
  without.remedy_note = "none known: the application calls it more often";

  const auto json = advisor::daemon::hypotheses_to_json({with_remedy, without});
  REQUIRE(json.is_array());
  REQUIRE(json.size() == 2);
  const auto& first = json[0];
  CHECK(first["cause"] == "stale_statistics");
  CHECK(first["strength"] == 0.75);
  CHECK(first["statement"] == with_remedy.statement);
  CHECK(first["table"] == "shop.orders");
  CHECK(first["figures"]["modified_since_analyze"] == 1200000.0);
  CHECK(first["figures"]["analyze_age_seconds"] == 777600.0);
  CHECK(first["remedy"] == "analyze");
  CHECK(first["remedy_note"] == "ANALYZE shop.orders");
  // The keys in the documented order.
  std::vector<std::string> keys;
  for (auto it = first.begin(); it != first.end(); ++it)
    keys.push_back(it.key());
  const std::vector<std::string> documented{"cause", "strength", "statement", "table", "figures", "remedy",
                                            "remedy_note"};
  CHECK(keys == documented);
  CHECK(json[1]["table"].is_null());
  CHECK(json[1]["remedy"].is_null());
  CHECK(json[1]["figures"].is_object());
  CHECK(json[1]["figures"].empty());
  CHECK(advisor::daemon::hypotheses_to_json({}).is_array());
  CHECK(advisor::daemon::hypotheses_to_json({}).empty());
}

TEST_CASE("evidence: an unreadable stored plan gives no plan change, the rest still comes", "[evidence]")
{
  store_test::TempStore t;
  fill_windows(*t.store);
  REQUIRE(t.store->record_plan("prod", "42", "00000000000000ff", "{not json", t0 + 60).ok());
  const auto report = seq_scan_report();
  const auto e = advisor::daemon::gather_evidence(*t.store, "prod", "42", "regressed", &report, t0 + 420);
  CHECK_FALSE(e.plan_change);
  CHECK(e.baseline.calls == 600);
  CHECK(e.current.calls == 100);
  CHECK(e.tables.size() == 1);
}
