#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("unbounded_result: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("unbounded_result", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("unbounded_result: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  model::StatementStats stats;
  stats.calls = 5000;
  stats.rows = 500000000;
  auto findings = rewrite_test::run("unbounded_result", "SELECT id FROM nosuch", &catalog, &stats);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].relation == "nosuch");
}

TEST_CASE("unbounded_result: evidence is rows per call")
{
  model::StatementStats stats;
  stats.calls = 40;
  stats.rows = 48000000;
  auto findings = rewrite_test::run("unbounded_result", "SELECT id FROM orders", nullptr, &stats);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence[0].name == "rows_per_call");
  CHECK(findings[0].evidence[0].value == 1200000);
}
