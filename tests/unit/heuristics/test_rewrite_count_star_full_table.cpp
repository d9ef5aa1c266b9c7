#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("count_star_full_table: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("count_star_full_table", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("count_star_full_table: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("count_star_full_table", "SELECT count(*) FROM nosuch", &catalog).empty());
}

TEST_CASE("count_star_full_table: advice reads reltuples of the table")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::run("count_star_full_table", "SELECT count(*) FROM orders", &catalog);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].advice.find("'public.orders'::regclass") != std::string::npos);
  CHECK(findings[0].evidence[0].value == 1200000);
  CHECK(rewrite_test::run("count_star_full_table", "SELECT count(*) FROM orders", nullptr).empty());
}
