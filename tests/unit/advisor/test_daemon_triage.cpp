// The daemon's pure triage steps: which filing is worth an `updated` event, table write rates
// and ANALYZEs between two samples, analyze recommendations from stale statistics, and the
// risk class each recommendation is filed with.

#include <nlohmann/json.hpp>

#include "advisor/daemon/announce.hpp"
#include "advisor/daemon/auto_apply_step.hpp"
#include "advisor/daemon/table_changes.hpp"
#include "advisor/statistics_advice.hpp"
#include "tests/support/catch.hpp"

namespace ad = advisor::daemon;

namespace {

nlohmann::ordered_json document(double saved, std::vector<std::string> fingerprints, std::string risk = "low")
{
  nlohmann::ordered_json queries = nlohmann::ordered_json::array();
  for (const auto& f : fingerprints)
    queries.push_back({{"fingerprint", f}});
  return {{"id", "r1"}, {"queries", queries}, {"estimate", {{"ms_saved_per_day", saved}}},
          {"confidence", 0.8}, {"risk", risk}};
}

model::TableCounters table(std::int64_t relid, const std::string& name, std::int64_t writes, std::int64_t analyzes)
{
  model::TableCounters t;
  t.relid = relid;
  t.schema = "shop";
  t.name = name;
  t.n_tup_ins = writes;
  t.analyze_count = analyzes;
  return t;
}

model::Finding stale(const std::string& relation, double share)
{
  model::Finding f;
  f.rule_id = "stale_statistics";
  f.relation = relation;
  f.title = "Statistics of " + relation + " are stale";
  f.time_share = share;
  return f;
}

}  // namespace

TEST_CASE("triage: a ticket is updated for new queries, confidence or a 2x saving, not for drift", "[triage]")
{
  const auto base = document(1000, {"q1"});
  CHECK_FALSE(ad::material_change(base, document(1500, {"q1"})));
  CHECK_FALSE(ad::material_change(base, document(600, {"q1"})));
  CHECK(ad::material_change(base, document(2000, {"q1"})));
  CHECK(ad::material_change(base, document(400, {"q1"})));
  CHECK(ad::material_change(base, document(1000, {"q1", "q2"})));
  CHECK_FALSE(ad::material_change(base, document(1000, {"q1"}, "medium")));  // follows the write rate
  auto less_sure = document(1000, {"q1"});
  less_sure["confidence"] = 0.5;
  CHECK(ad::material_change(base, less_sure));
  CHECK(ad::material_change(document(0, {"q1"}), document(10, {"q1"})));
  CHECK(ad::event_kind(advisor::delivery::Event::verified) == "recommendation_verified");
}

TEST_CASE("triage: write rates and ANALYZEs between two samples", "[triage]")
{
  model::Sample before;
  before.taken_at = 1000;
  before.tables = {table(1, "orders", 100, 3), table(2, "customers", 50, 1), table(3, "gone", 0, 0)};
  model::Sample after;
  after.taken_at = 1010;
  after.tables = {table(1, "orders", 600, 3), table(2, "customers", 10, 2), table(4, "new", 5, 9)};
  const auto changes = ad::table_changes(before, after);
  REQUIRE(changes.writes_per_second.count("shop.orders"));
  CHECK(changes.writes_per_second.at("shop.orders") == Approx(50));
  // Counters that went backwards (a stats reset) say nothing about writes.
  CHECK(changes.writes_per_second.count("shop.customers") == 0);
  CHECK(changes.writes_per_second.count("shop.new") == 0);
  CHECK(changes.analysed == std::vector<std::string>{"shop.customers"});
}

TEST_CASE("triage: stale statistics become one ANALYZE recommendation per table", "[triage]")
{
  model::QueryRef query;
  query.fingerprint = "42";
  query.total_ms = 1000;
  const auto recs = advisor::analyze_recommendations(
      "prod", query, {stale("shop.orders", 0.8), stale("shop.orders", 0.5), stale("shop.customers", 0.1)});
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].kind == model::RecommendationKind::analyze);
  CHECK(recs[0].statement == "ANALYZE shop.orders;");
  CHECK(recs[0].risk == "low");
  CHECK(recs[0].estimate.improvement == Approx(0.8));
  CHECK(recs[0].queries.at(0).fingerprint == "42");
  CHECK(recs[0].id != recs[1].id);
  CHECK(advisor::analyze_recommendations("prod", query, {}).empty());

  const auto table = advisor::analyzed_table("ANALYZE shop.\"Order Items\";");
  REQUIRE(table.has_value());
  CHECK(table->first == "shop");
  CHECK(table->second == "Order Items");
  CHECK(advisor::analyzed_table("ANALYZE orders;")->first == "public");
  CHECK_FALSE(advisor::analyzed_table("VACUUM shop.orders;").has_value());
  CHECK_FALSE(advisor::analyzed_table("ANALYZE a, b;").has_value());
  CHECK_FALSE(advisor::analyzed_table("CREATE INDEX i ON t (a);").has_value());
}

TEST_CASE("triage: risk classes from the DDL, the table's size and its write rate", "[triage]")
{
  ad::AnalysedStatement statement;
  model::TableInfo orders;
  orders.schema = "shop";
  orders.name = "orders";
  orders.size_bytes = 100LL << 20;
  statement.report.tables.push_back(orders);
  auto index = [](const std::string& ddl, std::int64_t bytes) {
    model::Recommendation r;
    r.kind = model::RecommendationKind::create_index;
    r.statement = ddl;
    r.estimate.index_bytes = bytes;
    return r;
  };
  statement.report.recommendations = {
      index("CREATE INDEX CONCURRENTLY orders_customer_idx ON shop.orders (customer_id);", 10 << 20),
      index("CREATE INDEX CONCURRENTLY orders_note_trgm ON shop.orders USING gin (note gin_trgm_ops);", 10 << 20),
      index("CREATE INDEX CONCURRENTLY orders_wide ON shop.orders (a, b, c, d);", 10 << 20),
      index("CREATE INDEX orders_blocking ON shop.orders (customer_id);", 10 << 20),
      index("CREATE INDEX CONCURRENTLY other_idx ON shop.unknown (a);", 10 << 20),
  };
  model::Recommendation drop;
  drop.kind = model::RecommendationKind::drop_index;
  drop.statement = "DROP INDEX CONCURRENTLY shop.x;";
  statement.report.recommendations.push_back(drop);
  model::Recommendation analyze;
  analyze.kind = model::RecommendationKind::analyze;
  analyze.findings.push_back(stale("shop.orders", 0.5));
  statement.report.recommendations.push_back(analyze);

  std::vector<ad::AnalysedStatement> analysed{statement};
  ad::assess_risks(analysed, {{"shop.orders", 10.0}}, {});
  const auto& recs = analysed[0].report.recommendations;
  CHECK(recs[0].risk == "low");
  CHECK(recs[1].risk == "medium");  // GIN
  CHECK(recs[2].risk == "medium");  // 4 columns
  CHECK(recs[3].risk == "high");    // not CONCURRENTLY
  CHECK(recs[4].risk == "medium");  // table size unknown
  CHECK(recs[5].risk == "high");    // DROP INDEX
  CHECK(recs[6].risk == "low");     // ANALYZE of stale statistics

  // A busy table makes the same b-tree medium.
  std::vector<ad::AnalysedStatement> busy{statement};
  ad::assess_risks(busy, {{"shop.orders", 5000.0}}, {});
  CHECK(busy[0].report.recommendations[0].risk == "medium");
}

namespace {

ad::AnalysedStatement analysed(const std::string& fingerprint, double window_ms, double window_seconds)
{
  ad::AnalysedStatement s;
  s.fingerprint = fingerprint;
  s.window.fingerprint = fingerprint;
  s.window.start_at = 1000;
  s.window.end_at = 1000 + window_seconds;
  s.window.calls = 10;
  s.window.total_ms = window_ms;
  s.window.mean_ms = window_ms / 10;
  model::Recommendation r;
  r.kind = model::RecommendationKind::create_index;
  r.statement = "CREATE INDEX CONCURRENTLY t_a_idx ON s.t (a);";
  r.estimate.improvement = 0.5;
  r.confidence = 0.8;
  r.queries.push_back({});
  s.report.recommendations.push_back(r);
  return s;
}

}  // namespace

TEST_CASE("filing: one index for two statements is one recommendation with both traces", "[triage]")
{
  auto first = analysed("111", 1000, 10);
  first.hypotheses = nlohmann::ordered_json::array({{{"cause", "plan_change"}}});
  auto second = analysed("222", 500, 10);
  const auto filed = ad::recommendations_to_file("prod", {first, second});
  REQUIRE(filed.size() == 1);
  CHECK(filed[0].fingerprints == std::vector<std::string>{"111", "222"});
  // Without history, each window's rate: 0.5 × (1000 + 500) ms per 10 s, over a day.
  CHECK(filed[0].ms_saved_per_day == Approx(0.5 * 1500 * 8640));
  CHECK(filed[0].score == Approx(filed[0].ms_saved_per_day * 0.8));
  const auto document = nlohmann::json::parse(filed[0].document);
  REQUIRE(document["trace"]["samples"].size() == 2);
  CHECK(document["trace"]["samples"][1]["fingerprint"] == "222");
  CHECK(document["trace"]["samples"][0]["total_ms"] == 1000);
  REQUIRE(document["trace"]["hypotheses"].size() == 1);
  CHECK(document["trace"]["hypotheses"][0]["cause"] == "plan_change");
  CHECK(document["trace"]["hypotheses"][0]["fingerprint"] == "111");
  CHECK(document["queries"][0]["calls"] == 10);
}

TEST_CASE("filing: ms saved per day comes from the last day of history, not one burst window", "[triage]")
{
  // A 10-second window with 1000 ms, in a day whose windows add up to 2000 ms over 86,400 s.
  auto burst = analysed("111", 1000, 10);
  burst.recent_total_ms = 2000;
  burst.recent_seconds = 86400;
  const auto filed = ad::recommendations_to_file("prod", {burst});
  REQUIRE(filed.size() == 1);
  CHECK(filed[0].ms_saved_per_day == Approx(0.5 * 2000));
}
