#include <string>

#include "tests/support/catch.hpp"
#include "tests/unit/heuristics/rewrite_fixture.hpp"

TEST_CASE("correlated_subquery_in_select: positive fixtures fire, negative ones stay silent")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::check_fixtures("correlated_subquery_in_select", &catalog);
  CHECK(!findings.empty());
}

TEST_CASE("correlated_subquery_in_select: rewritten SQL")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("correlated_subquery_in_select", "SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND o.status = 'paid') AS paid FROM customers c WHERE c.status = 'active'", &catalog) ==
        "SELECT c.id, COALESCE(cs_1.value_, 0) AS paid FROM customers c LEFT JOIN (SELECT o.customer_id AS key_, count(*) AS value_ FROM orders o WHERE o.status = 'paid' GROUP BY o.customer_id) AS cs_1 ON cs_1.key_ = c.id WHERE c.status = 'active'");
}

TEST_CASE("correlated_subquery_in_select: tables missing from the catalog")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::run("correlated_subquery_in_select", "SELECT a.id, (SELECT count(*) FROM nosuch2 b WHERE b.a_id = a.id) FROM nosuch a", &catalog).empty());
}

TEST_CASE("correlated_subquery_in_select: ORDER BY … LIMIT 1 is advised, not rewritten")
{
  auto catalog = rewrite_test::catalog();
  auto findings = rewrite_test::run("correlated_subquery_in_select",
    "SELECT c.id, (SELECT o.id FROM orders o WHERE o.customer_id = c.id ORDER BY o.created_at DESC LIMIT 1) FROM customers c", &catalog);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rewritten_sql.empty());
  CHECK(findings[0].advice.find("LATERAL") != std::string::npos);
}

TEST_CASE("correlated_subquery_in_select: an unnamed max keeps its column name")
{
  auto catalog = rewrite_test::catalog();
  CHECK(rewrite_test::rewrite_of("correlated_subquery_in_select",
          "SELECT c.id, (SELECT max(o.total) FROM orders o WHERE c.id = o.customer_id) FROM customers c", &catalog) ==
        "SELECT c.id, cs_1.value_ AS max FROM customers c LEFT JOIN (SELECT o.customer_id AS key_, max(o.total) AS value_ FROM orders o GROUP BY o.customer_id) AS cs_1 ON cs_1.key_ = c.id");
}
