#include "heuristics/rules/cte_materialized.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::cte_materialized;

TEST_CASE("cte_materialized: 59,276 rows materialised, 3 kept", "[cte_materialized]")
{
  const model::Plan plan = rule_test::plan("cte_materialized");
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(cte_materialized(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.location == "CTE Scan on recent");
  CHECK(f.relation == "public.orders");
  CHECK(rule_test::evidence(f, "cte_rows") == 59276);
  CHECK(rule_test::evidence(f, "rows_removed_by_filter") == 59273);
  CHECK(rule_test::evidence(f, "cte_time") > 0);
  CHECK(f.time_share > 0.3);
  CHECK(rule_test::contains(f.advice, "NOT MATERIALIZED"));
  CHECK(rule_test::contains(f.advice, "(customer_id = 42)"));
}

TEST_CASE("cte_materialized: an inlined CTE, or a materialised one read whole, is not reported", "[cte_materialized]")
{
  for (const char* name : {"cte_inlined", "cte_materialized_unfiltered", "pk_lookup"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(cte_materialized(), &plan).findings.empty());
  }
}
