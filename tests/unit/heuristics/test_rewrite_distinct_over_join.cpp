#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("distinct_over_join: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("distinct_over_join", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("distinct_over_join: rewritten SQL")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("distinct_over_join", "SELECT DISTINCT c.id, c.email FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.status = 'open' AND c.status = 'active' ORDER BY c.id", &catalog) ==
        "SELECT c.id, c.email FROM customers c WHERE c.status = 'active' AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'open') ORDER BY c.id");
}

TEST_CASE("distinct_over_join: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("distinct_over_join", "SELECT DISTINCT a.id FROM nosuch a JOIN nosuch2 b ON b.a_id = a.id", &catalog).empty());
}

TEST_CASE("distinct_over_join: DISTINCT stays when no unique key is selected")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("distinct_over_join",
          "SELECT DISTINCT c.country_code FROM customers c, orders o WHERE o.customer_id = c.id", &catalog) ==
        "SELECT DISTINCT c.country_code FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)");
}
