#include <chrono>
#include <thread>

#include "connectors/postgres/explain_runner.hpp"
#include "tests/integration/connectors/sandbox.hpp"
#include "tests/support/catch.hpp"

using connectors::pg::explain;
using connectors::pg::ExplainRequest;

namespace {

void create_fixture()
{
  sandbox::recreate_schema("conn_test_explain");
  sandbox::admin_exec(R"(
SET ROLE advisor;
CREATE TABLE conn_test_explain.items (id int PRIMARY KEY, grp int NOT NULL, label text);
INSERT INTO conn_test_explain.items SELECT g, g % 50, 'item ' || g FROM generate_series(1, 2000) AS g;
CREATE TABLE conn_test_explain.audit (id int);
CREATE TABLE conn_test_explain.locked (id int);
CREATE FUNCTION conn_test_explain.sneaky() RETURNS int LANGUAGE plpgsql VOLATILE AS
  $$ BEGIN INSERT INTO conn_test_explain.audit VALUES (1); RETURN 1; END $$;
ANALYZE conn_test_explain.items;
)");
}

long long items(connectors::pg::Session& session)
{
  return sandbox::count(session.conn(), "SELECT count(*) FROM conn_test_explain.items");
}

long long audit_rows(connectors::pg::Session& session)
{
  return sandbox::count(session.conn(), "SELECT count(*) FROM conn_test_explain.audit");
}

}  // namespace

TEST_CASE("explain: a plain SELECT runs with ANALYZE and BUFFERS", "[explain_runner]")
{
  create_fixture();
  auto session = sandbox::session();
  auto result = explain(*session, {"SELECT * FROM conn_test_explain.items WHERE grp = 7;"});
  REQUIRE(result.ok());
  CHECK(result->analyzed);
  CHECK_FALSE(result->generic_plan);
  CHECK(result->plan.analyzed);
  CHECK(result->plan.root.actual_rows.value_or(-1) == Approx(40));
  CHECK(result->plan.json.find("Shared Hit Blocks") != std::string::npos);
  sandbox::require_clean(*session);
}

TEST_CASE("explain: allow_analyze = false gives estimates only", "[explain_runner]")
{
  create_fixture();
  auto session = sandbox::session();
  auto result = explain(*session, {"SELECT * FROM conn_test_explain.items WHERE grp = 7", false});
  REQUIRE(result.ok());
  CHECK_FALSE(result->analyzed);
  CHECK_FALSE(result->plan.analyzed);
  CHECK(result->plan.root.total_cost > 0);
  sandbox::require_clean(*session);
}

TEST_CASE("explain: several statements are refused and nothing runs", "[explain_runner]")
{
  create_fixture();
  auto session = sandbox::session();
  auto result = explain(*session, {"SELECT 1; DROP TABLE conn_test_explain.items"});
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == model::ErrorKind::refused);
  CHECK(result.error().message == "pgadvisor explains one statement at a time; got 2");
  CHECK(items(*session) == 2000);
  sandbox::require_clean(*session);
}

TEST_CASE("explain: utility statements are refused", "[explain_runner]")
{
  create_fixture();
  auto session = sandbox::session();
  for (const std::string sql : {"DROP TABLE conn_test_explain.items", "VACUUM conn_test_explain.items",
                                "CREATE TABLE conn_test_explain.x AS SELECT 1",
                                "EXPLAIN ANALYZE DELETE FROM conn_test_explain.items"}) {
    INFO(sql);
    auto result = explain(*session, {sql});
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == model::ErrorKind::refused);
  }
  CHECK(items(*session) == 2000);
  sandbox::require_clean(*session);
}

TEST_CASE("explain: writes are explained without ANALYZE, data unchanged", "[explain_runner]")
{
  create_fixture();
  auto session = sandbox::session();
  for (const std::string sql : {"UPDATE conn_test_explain.items SET label = 'x'",
                                "DELETE FROM conn_test_explain.items",
                                "INSERT INTO conn_test_explain.items SELECT g + 5000, 1, 'n' FROM generate_series(1, 10) g",
                                "WITH d AS (DELETE FROM conn_test_explain.items RETURNING *) SELECT count(*) FROM d",
                                "SELECT * FROM conn_test_explain.items WHERE id = 1 FOR UPDATE",
                                "SELECT * FROM (SELECT * FROM conn_test_explain.items FOR SHARE) s",
                                "SELECT * INTO conn_test_explain.copy FROM conn_test_explain.items"}) {
    INFO(sql);
    auto result = explain(*session, {sql});
    REQUIRE(result.ok());
    CHECK_FALSE(result->analyzed);
    CHECK_FALSE(result->plan.analyzed);
    CHECK(result->note.find("without ANALYZE") != std::string::npos);
    CHECK(items(*session) == 2000);
    sandbox::require_clean(*session);
  }
  CHECK(sandbox::count(session->conn(), "SELECT count(*) FROM conn_test_explain.items WHERE label = 'x'") == 0);
  CHECK(sandbox::count(session->conn(), "SELECT count(*) FROM pg_tables WHERE tablename = 'copy'") == 0);
}

TEST_CASE("explain: a volatile function that writes is stopped by READ ONLY", "[explain_runner]")
{
  create_fixture();
  auto session = sandbox::session();
  auto result = explain(*session, {"SELECT conn_test_explain.sneaky()"});
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == model::ErrorKind::server);
  CHECK(result.error().message.find("cannot execute INSERT in a read-only transaction") != std::string::npos);
  CHECK(audit_rows(*session) == 0);
  sandbox::require_clean(*session);
}

TEST_CASE("explain: statement_timeout cancels a slow query", "[explain_runner]")
{
  create_fixture();
  connectors::pg::SessionSettings settings;
  settings.statement_timeout_ms = 300;
  auto session = sandbox::session(settings);
  const auto start = std::chrono::steady_clock::now();
  auto result = explain(*session, {"SELECT pg_sleep(5)"});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == model::ErrorKind::server);
  CHECK(result.error().message == "canceled: the query ran longer than statement_timeout (300 ms)");
  CHECK(elapsed < std::chrono::seconds(3));
  sandbox::require_clean(*session);
}

TEST_CASE("explain: a table locked by another session fails within lock_timeout", "[explain_runner]")
{
  create_fixture();
  connectors::pg::SessionSettings settings;
  settings.lock_timeout_ms = 300;
  auto session = sandbox::session(settings);
  auto holder = sandbox::admin();
  pqxx::work lock(*holder);
  lock.exec0("LOCK TABLE conn_test_explain.locked IN ACCESS EXCLUSIVE MODE");

  const auto start = std::chrono::steady_clock::now();
  auto result = explain(*session, {"SELECT * FROM conn_test_explain.locked"});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == model::ErrorKind::server);
  CHECK(result.error().message ==
        "could not get a lock within lock_timeout (300 ms) on conn_test_explain.locked");
  CHECK(elapsed < std::chrono::seconds(3));
  lock.abort();
  sandbox::require_clean(*session);
  // The session works again once the lock is gone.
  CHECK(explain(*session, {"SELECT * FROM conn_test_explain.locked"}).ok());
}

TEST_CASE("explain: unknown table is not_found with the server's message", "[explain_runner]")
{
  create_fixture();
  auto session = sandbox::session();
  auto result = explain(*session, {"SELECT * FROM conn_test_explain.nope"});
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == model::ErrorKind::not_found);
  CHECK(result.error().message == "relation \"conn_test_explain.nope\" does not exist");
  sandbox::require_clean(*session);
}

TEST_CASE("explain: invalid SQL never reaches the server", "[explain_runner]")
{
  auto session = sandbox::session();
  auto result = explain(*session, {"SELEC 1"});
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == model::ErrorKind::invalid_input);
  sandbox::require_clean(*session);
}

TEST_CASE("explain: $n parameters give a generic plan", "[explain_runner]")
{
  create_fixture();
  auto session = sandbox::session();
  auto result = explain(*session, {"SELECT * FROM conn_test_explain.items WHERE grp = $1 AND id > $2"});
  REQUIRE(result.ok());
  CHECK(result->generic_plan);
  CHECK_FALSE(result->analyzed);
  CHECK(result->plan.root.total_cost > 0);
  sandbox::require_clean(*session);

  auto write = explain(*session, {"UPDATE conn_test_explain.items SET label = $1 WHERE id = $2"});
  REQUIRE(write.ok());
  CHECK(write->generic_plan);
  CHECK(items(*session) == 2000);
  sandbox::require_clean(*session);

  // A failing generic plan deallocates too.
  auto failing = explain(*session, {"SELECT * FROM conn_test_explain.nope WHERE id = $1"});
  REQUIRE_FALSE(failing.ok());
  CHECK(failing.error().kind == model::ErrorKind::not_found);
  sandbox::require_clean(*session);
}
