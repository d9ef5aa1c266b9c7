#include "heuristics/rules/stale_statistics.hpp"
#include "parser/query.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::stale_statistics;

TEST_CASE("stale_statistics: a third of the rows arrived after the last ANALYZE", "[stale_statistics]")
{
  const model::Plan plan = rule_test::plan("misestimate_stale");
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(stale_statistics(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.relation == "public.stale_events");
  CHECK(rule_test::evidence(f, "n_mod_since_analyze") == 50000);
  CHECK(rule_test::evidence(f, "n_live_tup") == 150000);
  CHECK(rule_test::evidence(f, "modified_ratio") == Approx(1.0 / 3));
  CHECK(rule_test::unit(f, "seconds_since_analyze") == "s");
  CHECK(f.time_share > 0);
  CHECK(rule_test::contains(f.advice, "ANALYZE public.stale_events"));
}

TEST_CASE("stale_statistics: from the query shape when there is no plan", "[stale_statistics]")
{
  auto info = parser::analyse("SELECT id FROM stale_events WHERE flag = 1");
  REQUIRE(info.ok());
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(stale_statistics(), nullptr, &catalog, {}, &info->shape);
  REQUIRE(out.findings.size() == 1);
  CHECK(out.findings[0].time_share == 0);
}

TEST_CASE("stale_statistics: freshly analysed tables and never-analysed ones", "[stale_statistics]")
{
  const model::Plan plan = rule_test::plan("pk_lookup");
  model::Catalog catalog = rule_test::catalog();
  CHECK(rule_test::run(stale_statistics(), &plan, &catalog).findings.empty());

  for (auto& table : catalog.tables)
    if (table.name == "orders")
      table.activity->seconds_since_analyze.reset();
  const auto never = rule_test::run(stale_statistics(), &plan, &catalog);
  REQUIRE(never.findings.size() == 1);
  CHECK(rule_test::contains(never.findings[0].title, "never"));
}

TEST_CASE("stale_statistics: without a catalog or activity it says why", "[stale_statistics]")
{
  const model::Plan plan = rule_test::plan("pk_lookup");
  const auto no_catalog = rule_test::run(stale_statistics(), &plan);
  CHECK(no_catalog.findings.empty());
  CHECK(rule_test::any_note(no_catalog.notes, "no catalog"));

  const model::Catalog bare = test_support::fixture_catalog();
  const auto no_activity = rule_test::run(stale_statistics(), &plan, &bare);
  CHECK(no_activity.findings.empty());
  CHECK(rule_test::any_note(no_activity.notes, "pg_stat_user_tables"));
}

TEST_CASE("stale_statistics: just analysed at the table's current size is fresh, whatever the counter says",
          "[stale_statistics]")
{
  // PostgreSQL 15 can count a session's inserts after the ANALYZE that followed them: the
  // counter says "modified", the statistics describe every row.
  const model::Plan plan = rule_test::plan("misestimate_stale");
  model::Catalog catalog = rule_test::catalog();
  for (auto& table : catalog.tables)
    if (table.name == "stale_events") {
      table.reltuples = 150000;  // the sample saw all 150,000 live rows
      table.activity->seconds_since_analyze = 2;
    }
  CHECK(rule_test::run(stale_statistics(), &plan, &catalog).findings.empty());

  // Analysed long ago, the counter is believed even when the size matches.
  for (auto& table : catalog.tables)
    if (table.name == "stale_events")
      table.activity->seconds_since_analyze = 3600;
  CHECK(rule_test::run(stale_statistics(), &plan, &catalog).findings.size() == 1);

  // Just analysed but the table has grown since: stale.
  for (auto& table : catalog.tables)
    if (table.name == "stale_events") {
      table.reltuples = 100000;
      table.activity->seconds_since_analyze = 2;
    }
  CHECK(rule_test::run(stale_statistics(), &plan, &catalog).findings.size() == 1);
}

namespace {

void drop_timings(model::PlanNode& node)
{
  node.actual_total_ms.reset();
  for (auto& child : node.children)
    drop_timings(child);
}

}  // namespace

TEST_CASE("stale_statistics: without timings the scans' share of the cost stands in", "[stale_statistics]")
{
  // The daemon plans `$n` statements generically, without ANALYZE: a share of 0 would rank the
  // ANALYZE it recommends last whatever the table costs the query.
  model::Plan plan = rule_test::plan("misestimate_stale");
  plan.execution_ms.reset();
  plan.analyzed = false;
  drop_timings(plan.root);
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(stale_statistics(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  CHECK(out.findings[0].time_share > 0);
  CHECK(out.findings[0].time_share <= 1);
}
