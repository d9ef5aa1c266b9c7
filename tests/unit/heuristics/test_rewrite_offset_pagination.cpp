#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("offset_pagination: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("offset_pagination", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("offset_pagination: rewritten SQL")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("offset_pagination", "SELECT id, status FROM orders WHERE status = 'open' OR status = 'paid' ORDER BY id DESC LIMIT 50 OFFSET 5000", &catalog) ==
        "SELECT id, status FROM orders WHERE (status = 'open' OR status = 'paid') AND id < $1 ORDER BY id DESC LIMIT 50");
}

TEST_CASE("offset_pagination: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("offset_pagination", "SELECT id FROM nosuch ORDER BY id LIMIT 10 OFFSET 100000", &catalog).empty());
}

TEST_CASE("offset_pagination: keyset without WHERE, OFFSET before LIMIT")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("offset_pagination", "SELECT id FROM orders o ORDER BY o.id OFFSET 2000 LIMIT 10", &catalog) ==
        "SELECT id FROM orders o WHERE o.id > $1 ORDER BY o.id LIMIT 10");
}

TEST_CASE("offset_pagination: no keyset rewrite when the ordering is not unique")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::run("offset_pagination", "SELECT id FROM orders ORDER BY created_at LIMIT 10 OFFSET 100000", &catalog);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rewritten_sql.empty());
  CHECK(findings[0].evidence[0].value == 100000);
}
