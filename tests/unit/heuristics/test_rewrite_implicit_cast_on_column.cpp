#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("implicit_cast_on_column: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("implicit_cast_on_column", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("implicit_cast_on_column: rewritten SQL")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("implicit_cast_on_column", "SELECT c.id FROM customers c WHERE CAST(c.id AS text) = $1 AND c.status = 'active'", &catalog) ==
        "SELECT c.id FROM customers c WHERE c.id = $1 AND c.status = 'active'");
}

TEST_CASE("implicit_cast_on_column: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("implicit_cast_on_column", "SELECT id FROM nosuch WHERE id::text = $1", &catalog).empty());
}

TEST_CASE("implicit_cast_on_column: a wider parameter type loses its cast")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("implicit_cast_on_column", "SELECT id FROM orders WHERE $1::numeric = customer_id", &catalog) ==
        "SELECT id FROM orders WHERE $1 = customer_id");
}
