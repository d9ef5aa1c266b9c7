#include "heuristics/rules/nested_loop_large_inner.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::nested_loop_large_inner;

TEST_CASE("nested_loop_large_inner: seq scan inner run once per outer row", "[nested_loop_large_inner]")
{
  const model::Plan plan = rule_test::plan("nested_loop_seq_inner");
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(nested_loop_large_inner(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.relation == "public.orders");
  CHECK(rule_test::evidence(f, "inner_loops") == 5);
  CHECK(rule_test::evidence(f, "inner_rows_read") == 2500000);
  CHECK(rule_test::evidence(f, "inner_rows_per_loop") == 500000);
  CHECK(f.time_share > 0.8);
  CHECK(rule_test::contains(f.advice, "index on public.orders"));
}

TEST_CASE("nested_loop_large_inner: small materialised inner compared by a join filter 500,000 times",
          "[nested_loop_large_inner]")
{
  const model::Plan plan = rule_test::plan("nested_loop_join_filter");
  const auto out = rule_test::run(nested_loop_large_inner(), &plan);
  REQUIRE(out.findings.size() == 1);
  CHECK(rule_test::evidence(out.findings[0], "inner_loops") == 500000);
  CHECK(rule_test::evidence(out.findings[0], "rows_removed_by_join_filter") > 4e6);
  CHECK(rule_test::contains(out.findings[0].advice, "c.id = o.customer_id"));
}

TEST_CASE("nested_loop_large_inner: index lookups per outer row are fine", "[nested_loop_large_inner]")
{
  for (const char* name : {"join_indexed", "not_exists_ok", "join_unindexed", "join_full_hash"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(nested_loop_large_inner(), &plan).findings.empty());
  }
}
