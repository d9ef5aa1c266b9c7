#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("order_by_random: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("order_by_random", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("order_by_random: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("order_by_random", "SELECT id FROM nosuch ORDER BY random() LIMIT 1", &catalog).empty());
}

TEST_CASE("order_by_random: evidence is the rows sorted and the rows wanted")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::run("order_by_random", "SELECT id FROM orders ORDER BY random() LIMIT 10", &catalog);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence.size() == 2);
  CHECK(findings[0].evidence[0].value == 1200000);
  CHECK(findings[0].evidence[1].value == 10);
  CHECK(findings[0].advice.find("TABLESAMPLE") != std::string::npos);
}
