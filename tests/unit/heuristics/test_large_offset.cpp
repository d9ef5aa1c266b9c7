#include "heuristics/rules/large_offset.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::large_offset;

TEST_CASE("large_offset: OFFSET 100000 LIMIT 20 reads 100,020 rows", "[large_offset]")
{
  const model::Plan plan = rule_test::plan("large_offset");
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(large_offset(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.relation == "public.orders");
  CHECK(rule_test::evidence(f, "rows_fetched") == 100020);
  CHECK(rule_test::evidence(f, "rows_returned") == 20);
  CHECK(rule_test::evidence(f, "rows_discarded") == 100000);
  CHECK(f.time_share > 0.9);
  CHECK(rule_test::contains(f.advice, "paginate by key"));
}

TEST_CASE("large_offset: LIMIT without OFFSET is not reported", "[large_offset]")
{
  for (const char* name : {"sort_limit_with_index", "sort_limit_no_index", "pk_lookup"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(large_offset(), &plan).findings.empty());
  }
}
