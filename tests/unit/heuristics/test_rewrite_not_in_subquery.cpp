#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("not_in_subquery: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("not_in_subquery", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("not_in_subquery: rewritten SQL")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("not_in_subquery", "SELECT c.id FROM customers c WHERE c.id NOT IN (SELECT o.customer_id FROM orders o) ORDER BY c.id", &catalog) ==
        "SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM (SELECT o.customer_id FROM orders o) AS not_in_sub(not_in_value) WHERE not_in_sub.not_in_value = c.id) ORDER BY c.id");
}

TEST_CASE("not_in_subquery: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("not_in_subquery", "SELECT id FROM nosuch WHERE id NOT IN (SELECT x FROM nosuch2)", &catalog).empty());
}

TEST_CASE("not_in_subquery: advice names the NULL semantics")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::run("not_in_subquery", "SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders)", &catalog);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].advice.find("NULL") != std::string::npos);
  CHECK(findings[0].relation == "public.orders");
}
