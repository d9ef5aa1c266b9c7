#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("leading_wildcard_like: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("leading_wildcard_like", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("leading_wildcard_like: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("leading_wildcard_like", "SELECT id FROM nosuch WHERE name LIKE '%x'", &catalog).empty());
}

TEST_CASE("leading_wildcard_like: advice is a trigram index on the column")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::run("leading_wildcard_like", "SELECT id FROM customers WHERE email LIKE '%@example.com'", &catalog);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].advice.find("USING gin (email gin_trgm_ops)") != std::string::npos);
  CHECK(findings[0].relation == "public.customers");
}
