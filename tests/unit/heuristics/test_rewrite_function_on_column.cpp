#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("function_on_column: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("function_on_column", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("function_on_column: rewritten SQL")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("function_on_column", "SELECT id FROM orders WHERE created_at::date = '2024-03-01' AND status = 'open'", &catalog) ==
        "SELECT id FROM orders WHERE (created_at >= '2024-03-01'::date AND created_at < '2024-03-01'::date + 1) AND status = 'open'");
}

TEST_CASE("function_on_column: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("function_on_column", "SELECT id FROM nosuch WHERE lower(name) = 'x'", &catalog).empty());
}

TEST_CASE("function_on_column: date_trunc('day', …) becomes the day's range")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("function_on_column",
          "SELECT o.id FROM orders o WHERE date_trunc('day', o.created_at) = '2024-03-01 00:00:00'", &catalog) ==
        "SELECT o.id FROM orders o WHERE (o.created_at >= '2024-03-01'::date AND o.created_at < '2024-03-01'::date + 1)");
}

TEST_CASE("function_on_column: no range rewrite when the constant is not a whole day")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::run("function_on_column",
    "SELECT id FROM orders WHERE date_trunc('hour', created_at) = '2024-03-01 10:00'", &catalog);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rewritten_sql.empty());
  CHECK(findings[0].advice.find("CREATE INDEX ON public.orders ((date_trunc('hour', created_at)))") != std::string::npos);
}
