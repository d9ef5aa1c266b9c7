#include "heuristics/rules/row_misestimate.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::row_misestimate;

TEST_CASE("row_misestimate: correlated columns get CREATE STATISTICS", "[row_misestimate]")
{
  const model::Plan plan = rule_test::plan("misestimate_correlated");
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(row_misestimate(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.location == "Seq Scan on corr");
  CHECK(f.relation == "public.corr");
  // The planner multiplies 1/100 by 1/100: about 10 rows of 100,000 (the sample varies).
  const double estimated = plan.root.children.at(0).plan_rows;
  CHECK(estimated < 50);
  CHECK(rule_test::evidence(f, "estimated_rows") == estimated);
  CHECK(rule_test::evidence(f, "actual_rows") == 1000);
  CHECK(rule_test::evidence(f, "estimate_ratio") == Approx(1000.0 / estimated));
  CHECK(rule_test::contains(f.advice, "CREATE STATISTICS ON a, b FROM public.corr"));
}

TEST_CASE("row_misestimate: one stale column gets ANALYZE", "[row_misestimate]")
{
  const model::Plan plan = rule_test::plan("misestimate_stale");
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(row_misestimate(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  CHECK(rule_test::evidence(out.findings[0], "estimate_ratio") == 50000);
  CHECK(rule_test::contains(out.findings[0].advice, "ANALYZE public.stale_events"));
  CHECK_FALSE(rule_test::contains(out.findings[0].advice, "CREATE STATISTICS"));
}

TEST_CASE("row_misestimate: good estimates, and misestimates feeding nothing, are not reported", "[row_misestimate]")
{
  // bloated_scan is off by 3,700x but is the whole query: no join or sort was misled.
  for (const char* name : {"join_indexed", "join_full_hash", "pk_lookup", "not_exists_ok", "bloated_scan"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(row_misestimate(), &plan).findings.empty());
  }
  heuristics::RuleSettings settings;
  settings.misestimate_ratio = 200;
  const model::Plan plan = rule_test::plan("misestimate_correlated");
  CHECK(rule_test::run(row_misestimate(), &plan, nullptr, settings).findings.empty());
}
