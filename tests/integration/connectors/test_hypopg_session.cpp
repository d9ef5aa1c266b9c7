#include "connectors/postgres/hypopg_session.hpp"
#include "tests/integration/connectors/sandbox.hpp"
#include "tests/support/catch.hpp"

using connectors::pg::WhatIfSession;

namespace {

void create_fixture()
{
  sandbox::recreate_schema("conn_test_hypopg");
  sandbox::admin_exec(R"(
SET ROLE advisor;
CREATE TABLE conn_test_hypopg.events (id int PRIMARY KEY, account int NOT NULL, kind text, payload text);
INSERT INTO conn_test_hypopg.events
  SELECT g, g % 5000, 'k' || (g % 7), repeat('x', 50) FROM generate_series(1, 50000) AS g;
ANALYZE conn_test_hypopg.events;
)");
}

const std::string k_index = "CREATE INDEX ON conn_test_hypopg.events (account)";

}  // namespace

TEST_CASE("hypopg: an index on an unindexed equality column lowers the cost", "[hypopg_session]")
{
  create_fixture();
  auto session = sandbox::session();
  WhatIfSession what_if(*session);
  REQUIRE(what_if.available());
  auto result = what_if.evaluate("SELECT * FROM conn_test_hypopg.events WHERE account = 42", {k_index});
  REQUIRE(result.ok());
  CHECK(result->cost_after < result->cost_before);
  CHECK(result->index_used);
  CHECK(result->index_bytes > 0);
  CHECK(result->plan_before_json.find("Seq Scan") != std::string::npos);
  CHECK(result->plan_after_json.find("<") != std::string::npos);  // hypopg names: "<oid>btree_…"
  sandbox::require_clean(*session);
}

TEST_CASE("hypopg: $n queries are re-planned with the hypothetical index", "[hypopg_session]")
{
  create_fixture();
  auto session = sandbox::session();
  WhatIfSession what_if(*session);
  auto result = what_if.evaluate("SELECT * FROM conn_test_hypopg.events WHERE account = $1", {k_index});
  REQUIRE(result.ok());
  CHECK(result->cost_after < result->cost_before);
  CHECK(result->index_used);
  CHECK(result->index_bytes > 0);
  sandbox::require_clean(*session);
}

TEST_CASE("hypopg: CONCURRENTLY is accepted and an unhelpful index is not used", "[hypopg_session]")
{
  create_fixture();
  auto session = sandbox::session();
  WhatIfSession what_if(*session);
  auto result = what_if.evaluate("SELECT * FROM conn_test_hypopg.events WHERE account = 42",
                                 {"create index concurrently on conn_test_hypopg.events (kind)"});
  REQUIRE(result.ok());
  CHECK_FALSE(result->index_used);
  CHECK(result->cost_after == Approx(result->cost_before));
  CHECK(result->index_bytes > 0);
  sandbox::require_clean(*session);
  CHECK(connectors::pg::strip_concurrently("CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)") ==
        "CREATE UNIQUE INDEX i ON t (a)");
}

TEST_CASE("hypopg: bad inputs leave no hypothetical index behind", "[hypopg_session]")
{
  create_fixture();
  auto session = sandbox::session();
  WhatIfSession what_if(*session);

  auto not_index = what_if.evaluate("SELECT 1", {"DROP TABLE conn_test_hypopg.events"});
  REQUIRE_FALSE(not_index.ok());
  CHECK(not_index.error().kind == model::ErrorKind::refused);

  auto smuggled = what_if.evaluate("SELECT 1", {k_index + "; DROP TABLE conn_test_hypopg.events"});
  REQUIRE_FALSE(smuggled.ok());
  CHECK(smuggled.error().kind == model::ErrorKind::refused);
  CHECK(sandbox::count(session->conn(), "SELECT count(*) FROM conn_test_hypopg.events") == 50000);

  auto unknown = what_if.evaluate("SELECT * FROM conn_test_hypopg.nope WHERE a = 1", {k_index});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == model::ErrorKind::not_found);
  sandbox::require_clean(*session);

  auto bad_column = what_if.evaluate("SELECT * FROM conn_test_hypopg.events WHERE account = $1",
                                     {k_index, "CREATE INDEX ON conn_test_hypopg.events (no_such_column)"});
  REQUIRE_FALSE(bad_column.ok());
  CHECK(bad_column.error().kind == model::ErrorKind::server);  // HypoPG raises XX000
  CHECK(bad_column.error().message.find("no_such_column") != std::string::npos);
  sandbox::require_clean(*session);

  auto two = what_if.evaluate("SELECT 1; SELECT 2", {k_index});
  REQUIRE_FALSE(two.ok());
  CHECK(two.error().kind == model::ErrorKind::refused);
  sandbox::require_clean(*session);
}
