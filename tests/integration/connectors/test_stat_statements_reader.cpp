// pg_stat_statements as a workload: the application's statements with their figures,
// pgadvisor's own statements never among them; the statistics window.

#include <pqxx/pqxx>

#include "connectors/postgres/hypopg_session.hpp"
#include "connectors/postgres/stat_statements_reader.hpp"
#include "tests/integration/connectors/sandbox.hpp"

namespace {

void run_as_application(const std::string& sql, int times)
{
  pqxx::connection conn(sandbox::test_dsn() + " application_name=shop_app");
  pqxx::nontransaction tx(conn);
  for (int i = 0; i < times; ++i)
    tx.exec(sql);
}

}  // namespace

TEST_CASE("stat statements: the application's statements, none of pgadvisor's", "[integration]")
{
  {
    pqxx::connection conn(sandbox::admin_dsn());
    pqxx::nontransaction tx(conn);
    tx.exec("SET client_min_messages = warning; DROP SCHEMA IF EXISTS pss_test CASCADE; CREATE SCHEMA pss_test;"
            "GRANT USAGE ON SCHEMA pss_test TO advisor;"
            "CREATE TABLE pss_test.items (id int PRIMARY KEY, kind text);"
            "INSERT INTO pss_test.items SELECT g, 'k' || g % 7 FROM generate_series(1, 1000) g;"
            "GRANT SELECT ON pss_test.items TO advisor; ANALYZE pss_test.items;");
  }
  run_as_application("SELECT id FROM pss_test.items WHERE kind = 'k3' AND id > 17", 7);

  auto session = sandbox::session();
  {
    // pgadvisor's own traffic: a what-if evaluation and a catalog-style query.
    connectors::pg::WhatIfSession what_if(*session);
    REQUIRE(what_if.available());
    REQUIRE(what_if.evaluate("SELECT id FROM pss_test.items WHERE kind = 'k1'", {"CREATE INDEX ON pss_test.items (kind)"}));
  }

  connectors::pg::StatStatementsFilter filter;
  filter.min_calls = 7;
  filter.top = 500;
  auto rows = connectors::pg::read_stat_statements(*session, filter);
  REQUIRE(rows);
  bool found = false;
  for (const auto& row : *rows) {
    INFO(row.query);
    CHECK_FALSE(connectors::pg::is_own_statement(row.query));
    CHECK(row.query.find("hypopg_create_index") == std::string::npos);
    CHECK(row.query.rfind("CREATE", 0) == std::string::npos);
    CHECK(row.query.rfind("EXPLAIN", 0) == std::string::npos);
    CHECK(row.stats.calls >= 7);
    if (row.query.find("FROM pss_test.items WHERE kind = $1 AND id > $2") != std::string::npos) {
      found = true;
      CHECK(row.stats.total_ms > 0);
      CHECK(row.stats.mean_ms > 0);
      CHECK_FALSE(row.stats.queryid.empty());
    }
  }
  CHECK(found);

  filter.top = 1;
  auto one = connectors::pg::read_stat_statements(*session, filter);
  REQUIRE(one);
  CHECK(one->size() <= 1);
}

TEST_CASE("stat statements: pgadvisor's own statements are recognised by their text", "[integration]")
{
  using connectors::pg::is_own_statement;
  CHECK(is_own_statement("EXPLAIN (VERBOSE, FORMAT JSON) SELECT 1"));
  CHECK(is_own_statement("PREPARE pgadvisor_stmt_3 AS SELECT * FROM t WHERE a = $1"));
  CHECK(is_own_statement("SELECT indexrelid::text, indexname FROM hypopg_create_index($1)"));
  CHECK(is_own_statement("SET LOCAL statement_timeout = 30000"));
  CHECK(is_own_statement("SELECT count(*) FROM hypopg()"));
  CHECK(is_own_statement("SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = $1"));
  CHECK_FALSE(is_own_statement("SELECT id FROM shop.orders WHERE customer_id = $1"));
  CHECK_FALSE(is_own_statement("UPDATE settings SET value = $1 WHERE key = $2"));
}

TEST_CASE("stat statements: the statistics window is known or says it is not", "[integration]")
{
  auto session = sandbox::session();
  auto window = connectors::pg::stats_window_seconds(*session);
  REQUIRE(window);
  if (window->has_value())
    CHECK(**window >= 0);
  else {
    pqxx::connection conn(sandbox::admin_dsn());
    pqxx::nontransaction tx(conn);
    CHECK(tx.exec1("SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()")[0].is_null());
  }
}

TEST_CASE("stat statements: a database without the extension is refused with the fix", "[integration]")
{
  {
    pqxx::connection conn(sandbox::admin_dsn());
    pqxx::nontransaction tx(conn);
    tx.exec("DROP DATABASE IF EXISTS pgadvisor_nopss WITH (FORCE)");
    tx.exec("CREATE DATABASE pgadvisor_nopss OWNER advisor");
  }
  std::string dsn = sandbox::test_dsn();
  dsn.replace(dsn.find("dbname=pgadvisor_test"), std::string("dbname=pgadvisor_test").size(), "dbname=pgadvisor_nopss");
  auto session = connectors::pg::Session::connect(dsn);
  REQUIRE(session);
  auto rows = connectors::pg::read_stat_statements(**session, {});
  REQUIRE_FALSE(rows);
  CHECK(rows.error().kind == model::ErrorKind::refused);
  CHECK(rows.error().hint.find("CREATE EXTENSION pg_stat_statements") != std::string::npos);
  session->reset();
  pqxx::connection conn(sandbox::admin_dsn());
  pqxx::nontransaction tx(conn);
  tx.exec("DROP DATABASE IF EXISTS pgadvisor_nopss WITH (FORCE)");
}
