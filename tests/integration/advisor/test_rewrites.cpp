// Every mechanical rewrite, checked on the sandbox: it returns the same rows as the original
// statement and PostgreSQL plans it cheaper. Data lives in its own schema, rebuilt per run.

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connectors/postgres/catalog_reader.hpp"
#include "connectors/postgres/session.hpp"
#include "heuristics/rule_registry.hpp"
#include "parser/query.hpp"
#include "tests/integration/advisor/sandbox.hpp"

namespace {

const char* schema_sql = R"sql(
  DROP SCHEMA IF EXISTS rw_i6b CASCADE;
  CREATE SCHEMA rw_i6b;
  CREATE TABLE rw_i6b.customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, status text NOT NULL,
                                 country_code text);
  INSERT INTO rw_i6b.customers
    SELECT g, 'c' || g || '@example.com', (ARRAY['active', 'dormant', 'closed'])[1 + g % 3], 'C' || (g % 40)
    FROM generate_series(1, 20000) g;
  CREATE TABLE rw_i6b.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,
                              total numeric(12, 2) NOT NULL, created_at timestamptz NOT NULL);
  INSERT INTO rw_i6b.orders
    SELECT g, 1 + (g * 7919) % 20000, (ARRAY['open', 'paid', 'shipped', 'cancelled'])[1 + g % 4], (g % 997) / 10.0,
           timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute'
    FROM generate_series(1, 200000) g;
  CREATE INDEX ON rw_i6b.orders (customer_id);
  CREATE INDEX ON rw_i6b.orders (created_at);
  CREATE TABLE rw_i6b.blocked (customer_id bigint NOT NULL);
  INSERT INTO rw_i6b.blocked SELECT g * 2 FROM generate_series(1, 60000) g;
  ANALYZE rw_i6b.customers;
  ANALYZE rw_i6b.orders;
  ANALYZE rw_i6b.blocked;
)sql";

// Rows as text, sorted: the two statements must return the same multiset.
std::vector<std::string> rows_of(pqxx::nontransaction& tx, const std::string& sql)
{
  std::vector<std::string> out;
  for (const auto& row : tx.exec(sql)) {
    std::string line;
    for (const auto& field : row)
      line += std::string(field.is_null() ? "<null>" : field.c_str()) + "|";
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

double plan_cost(pqxx::nontransaction& tx, const std::string& sql)
{
  auto plan = nlohmann::json::parse(tx.exec1("EXPLAIN (FORMAT JSON) " + sql)[0].c_str());
  return plan[0]["Plan"]["Total Cost"].get<double>();
}

model::Catalog read_catalog()
{
  auto session = connectors::pg::Session::connect(sandbox::admin_dsn());
  REQUIRE(session.ok());
  auto catalog = connectors::pg::read_catalog(**session, {{"rw_i6b", "customers"}, {"rw_i6b", "orders"},
                                                          {"rw_i6b", "blocked"}});
  REQUIRE(catalog.ok());
  return std::move(catalog).value();
}

// The rewrite the rule `rule_id` proposes for `sql` (all rules run, as the analyser runs them).
std::string rewrite_for(const std::string& rule_id, const std::string& sql, const model::Catalog& catalog)
{
  auto info = parser::analyse(sql);
  REQUIRE(info.ok());
  info->shape.sql = sql;
  heuristics::RuleContext context;
  context.shape = &info->shape;
  context.catalog = &catalog;
  for (const auto& finding : heuristics::run_rules(context, heuristics::RuleSettings{}))
    if (finding.rule_id == rule_id && !finding.rewritten_sql.empty()) {
      REQUIRE(parser::parse(finding.rewritten_sql).ok());
      return finding.rewritten_sql;
    }
  FAIL("rule " << rule_id << " proposed no rewrite for: " << sql);
  return {};
}

std::string replace_all(std::string text, const std::string& from, const std::string& to)
{
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

struct Compared {
  double before = 0;
  double after = 0;
};

Compared compare(pqxx::nontransaction& tx, const std::string& original, const std::string& rewritten)
{
  INFO("original: " << original);
  INFO("rewrite:  " << rewritten);
  auto expected = rows_of(tx, original);
  REQUIRE(!expected.empty());
  CHECK(rows_of(tx, rewritten) == expected);
  Compared costs{plan_cost(tx, original), plan_cost(tx, rewritten)};
  INFO("cost " << costs.before << " -> " << costs.after);
  CHECK(costs.after < costs.before);
  return costs;
}

}  // namespace

TEST_CASE("rewrites: same rows and a cheaper plan on the sandbox", "[integration]")
{
  sandbox::admin(schema_sql);
  const model::Catalog catalog = read_catalog();
  REQUIRE(catalog.tables.size() == 3);
  pqxx::connection conn(sandbox::admin_dsn());
  pqxx::nontransaction tx(conn);
  tx.exec("SET TimeZone = 'UTC'");
  // Small enough that the NOT IN subquery's hash table does not fit: the case that hurts.
  tx.exec("SET work_mem = '256kB'");

  SECTION("not_in_subquery → NOT EXISTS")
  {
    const std::string sql = "SELECT c.id FROM rw_i6b.customers c WHERE c.id NOT IN (SELECT b.customer_id FROM rw_i6b.blocked b)";
    auto rewritten = rewrite_for("not_in_subquery", sql, catalog);
    CHECK(rewritten.find("NOT EXISTS") != std::string::npos);
    compare(tx, sql, rewritten);
  }
  SECTION("function_on_column: ::date → a range")
  {
    const std::string sql = "SELECT o.id, o.total FROM rw_i6b.orders o WHERE o.created_at::date = '2024-02-10'";
    compare(tx, sql, rewrite_for("function_on_column", sql, catalog));
  }
  SECTION("function_on_column: date_trunc('day', …) → a range")
  {
    const std::string sql = "SELECT o.id FROM rw_i6b.orders o WHERE date_trunc('day', o.created_at) = '2024-03-05'";
    compare(tx, sql, rewrite_for("function_on_column", sql, catalog));
  }
  SECTION("offset_pagination → keyset on a unique key")
  {
    const std::string sql = "SELECT o.id, o.status FROM rw_i6b.orders o ORDER BY o.id LIMIT 20 OFFSET 150000";
    auto rewritten = rewrite_for("offset_pagination", sql, catalog);
    REQUIRE(rewritten.find("$1") != std::string::npos);
    // The application passes the previous page's last key: the row just before the offset.
    const std::string last = tx.exec1("SELECT o.id FROM rw_i6b.orders o ORDER BY o.id LIMIT 1 OFFSET 149999")[0].c_str();
    compare(tx, sql, replace_all(rewritten, "$1", last));
  }
  SECTION("correlated_subquery_in_select → grouped LEFT JOIN")
  {
    const std::string sql =
      "SELECT c.id, (SELECT count(*) FROM rw_i6b.orders o WHERE o.customer_id = c.id AND o.status = 'paid') AS paid "
      "FROM rw_i6b.customers c";
    compare(tx, sql, rewrite_for("correlated_subquery_in_select", sql, catalog));
  }
  SECTION("distinct_over_join → EXISTS")
  {
    const std::string sql = "SELECT DISTINCT c.id, c.email FROM rw_i6b.customers c JOIN rw_i6b.orders o "
                            "ON o.customer_id = c.id WHERE c.status = 'active'";
    auto rewritten = rewrite_for("distinct_over_join", sql, catalog);
    CHECK(rewritten.find("EXISTS") != std::string::npos);
    compare(tx, sql, rewritten);
  }
  SECTION("or_across_columns → UNION ALL")
  {
    const std::string sql = "SELECT o.id, c.email FROM rw_i6b.orders o JOIN rw_i6b.customers c ON c.id = o.customer_id "
                            "WHERE o.id = 4242 OR c.email = 'c77@example.com'";
    auto rewritten = rewrite_for("or_across_columns", sql, catalog);
    CHECK(rewritten.find("UNION ALL") != std::string::npos);
    compare(tx, sql, rewritten);
  }
}
