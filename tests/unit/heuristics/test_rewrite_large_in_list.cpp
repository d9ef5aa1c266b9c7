#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("large_in_list: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("large_in_list", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("large_in_list: the list becomes one array parameter after the existing ones")
{
  std::string list;
  for (int i = 1; i <= 150; ++i)
    list += (i > 1 ? ", " : "") + std::to_string(i);
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("large_in_list", "SELECT id FROM orders WHERE status = $1 AND id IN (" + list + ") LIMIT 5", &catalog) ==
        "SELECT id FROM orders WHERE status = $1 AND id = ANY($2) LIMIT 5");
  CHECK(rewrite_test::rewrite_of("large_in_list", "SELECT id FROM orders WHERE id NOT IN (" + list + ")", &catalog) ==
        "SELECT id FROM orders WHERE id <> ALL($1)");
}

TEST_CASE("large_in_list: unknown tables still get the rewrite, it needs no catalog")
{
  std::string list;
  for (int i = 1; i <= 120; ++i)
    list += (i > 1 ? ", " : "") + std::to_string(i);
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::run("large_in_list", "SELECT x FROM nosuch WHERE x IN (" + list + ")", &catalog);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].relation == "nosuch");
  CHECK(findings[0].evidence[0].value == 120);
}
