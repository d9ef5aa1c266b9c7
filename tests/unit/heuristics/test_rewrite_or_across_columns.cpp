#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("or_across_columns: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("or_across_columns", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("or_across_columns: rewritten SQL")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("or_across_columns", "SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = 42 OR c.email = 'a@x'", &catalog) ==
        "SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE (o.id = 42)\nUNION ALL\nSELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE (c.email = 'a@x') AND (o.id = 42) IS NOT TRUE");
}

TEST_CASE("or_across_columns: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("or_across_columns", "SELECT a.x FROM nosuch a JOIN nosuch2 b ON a.id = b.id WHERE a.x = 1 OR b.y = 2", &catalog).empty());
}

TEST_CASE("or_across_columns: an OR inside AND keeps the other conditions in every branch")
{
  auto catalog = rewrite_test::catalog();
  auto sql = rewrite_test::rewrite_of("or_across_columns",
    "SELECT o.id FROM orders o, customers c WHERE c.id = o.customer_id AND (o.id = 1 OR c.email = 'x')", &catalog);
  CHECK(sql == "SELECT o.id FROM orders o, customers c WHERE c.id = o.customer_id AND (o.id = 1)\nUNION ALL\n"
               "SELECT o.id FROM orders o, customers c WHERE c.id = o.customer_id AND (c.email = 'x') AND (o.id = 1) IS NOT TRUE");
}

TEST_CASE("or_across_columns: no UNION rewrite with ORDER BY or LIMIT")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::run("or_across_columns",
    "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = 1 OR c.email = 'x' ORDER BY o.id", &catalog);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rewritten_sql.empty());
}
