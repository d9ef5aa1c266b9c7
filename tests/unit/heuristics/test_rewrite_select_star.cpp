#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("select_star: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("select_star", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("select_star: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  model::StatementStats stats;
  stats.calls = 5000;
  stats.rows = 500000000;
  CHECK(rewrite_test::run("select_star", "SELECT * FROM nosuch WHERE id = $1", &catalog, &stats).empty());
}

TEST_CASE("select_star: silent without a catalog or statistics")
{
  model::StatementStats stats;
  stats.calls = 5000;
  stats.rows = 5000;
  CHECK(rewrite_test::run("select_star", "SELECT * FROM customers WHERE id = $1", nullptr, &stats).empty());
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("select_star", "SELECT * FROM customers WHERE id = $1", &catalog, nullptr).empty());
  auto findings = rewrite_test::run("select_star", "SELECT * FROM customers WHERE id = $1", &catalog, &stats);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence[0].value == 12);
}
