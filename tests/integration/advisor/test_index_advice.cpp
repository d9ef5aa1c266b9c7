// End to end on the sandbox: `pgadvisor analyze --format json` recommends the index a DBA
// would create, and the real plan uses it once it exists.

#include <nlohmann/json.hpp>

#include "tests/integration/advisor/sandbox.hpp"

namespace {

void create_schema()
{
  // Catch2 re-enters the test case for every SECTION; the schema is the same for all of them.
  static bool created = false;
  if (created)
    return;
  created = true;
  sandbox::admin(R"sql(
    SET client_min_messages = warning;
    DROP SCHEMA IF EXISTS e2e_advice CASCADE;
    CREATE SCHEMA e2e_advice;
    GRANT USAGE ON SCHEMA e2e_advice TO advisor;
    CREATE TABLE e2e_advice.accounts (
      id bigint PRIMARY KEY, email text NOT NULL, tenant_id int NOT NULL,
      status text NOT NULL, created_at timestamptz NOT NULL);
    INSERT INTO e2e_advice.accounts
      SELECT g, 'user' || g || '@example.com', g % 500,
             (ARRAY['active','trial','suspended','closed'])[1 + g % 4],
             timestamptz '2024-01-01' + g * interval '1 minute'
        FROM generate_series(1, 200000) g;
    CREATE TABLE e2e_advice.events (
      id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES e2e_advice.accounts (id),
      kind text NOT NULL, payload text);
    INSERT INTO e2e_advice.events
      SELECT g, 1 + (g::bigint * 7919) % 200000, 'kind' || g % 10, repeat('x', 20)
        FROM generate_series(1, 400000) g;
    GRANT SELECT ON ALL TABLES IN SCHEMA e2e_advice TO advisor;
  )sql");
  sandbox::admin("VACUUM ANALYZE e2e_advice.accounts, e2e_advice.events");
}

nlohmann::json analyse(const std::string& sql)
{
  auto run = sandbox::run({"analyze", "--db", sandbox::test_dsn(), "--format", "json", "-v", sql});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  return nlohmann::json::parse(run.out);
}

//! Creates the recommended index for real, checks that the query's plan now uses an index
//! on that table, and drops it again.
void apply_and_check_plan(const std::string& ddl, const std::string& sql, const std::string& index_name)
{
  sandbox::admin(ddl);
  sandbox::admin("ANALYZE e2e_advice.accounts; ANALYZE e2e_advice.events");
  const std::string plan = sandbox::admin_value("EXPLAIN (FORMAT JSON) " + sql);
  sandbox::admin("DROP INDEX IF EXISTS e2e_advice." + index_name);
  INFO(plan);
  CHECK(plan.find("\"Index Name\": \"" + index_name + "\"") != std::string::npos);
}

std::string index_name_of(const std::string& ddl)
{
  // CREATE INDEX CONCURRENTLY <name> ON ...
  const std::string prefix = "CREATE INDEX CONCURRENTLY ";
  REQUIRE(ddl.rfind(prefix, 0) == 0);
  return ddl.substr(prefix.size(), ddl.find(' ', prefix.size()) - prefix.size());
}

}  // namespace

TEST_CASE("index advice: end to end on the sandbox", "[integration]")
{
  create_schema();

  SECTION("an unindexed equality gets a one-column index")
  {
    const std::string sql = "SELECT id, status FROM e2e_advice.accounts WHERE email = 'user777@example.com'";
    auto report = analyse(sql);
    REQUIRE(report["recommendations"].size() == 1);
    const auto& rec = report["recommendations"][0];
    const std::string ddl = rec["statement"];
    CHECK(ddl.find("ON e2e_advice.accounts (email)") != std::string::npos);
    CHECK(rec["kind"] == "create_index");
    CHECK(rec["validated"] == true);
    CHECK(rec["estimate"]["cost_after"].get<double>() < rec["estimate"]["cost_before"].get<double>());
    CHECK(rec["estimate"]["index_bytes"].get<double>() > 0);
    CHECK(rec["rank"] == 1);
    CHECK(rec["id"].get<std::string>().size() == 16);
    CHECK_FALSE(report["findings"].empty());
    CHECK(report["findings"][0]["id"] == "seq_scan_selective_filter");
    apply_and_check_plan(ddl.substr(0, ddl.size() - 1), sql, index_name_of(ddl));
  }

  SECTION("--fail-on-recommendations exits 3 when there is advice, 0 when there is none")
  {
    auto advised = sandbox::run({"analyze", "--db", sandbox::test_dsn(), "--fail-on-recommendations",
                                 "SELECT id FROM e2e_advice.accounts WHERE email = 'user9@example.com'"});
    CHECK(advised.exit_code == 3);
    CHECK(advised.out.find("CREATE INDEX CONCURRENTLY") != std::string::npos);
    auto healthy = sandbox::run({"analyze", "--db", sandbox::test_dsn(), "--fail-on-recommendations",
                                 "SELECT email FROM e2e_advice.accounts WHERE id = 9"});
    CHECK(healthy.exit_code == 0);
  }

  SECTION("an equality already served by the primary key gets nothing")
  {
    auto report = analyse("SELECT email FROM e2e_advice.accounts WHERE id = 4242");
    CHECK(report["recommendations"].empty());
    CHECK(report["findings"].empty());
    bool covered = false;
    for (const auto& rejected : report["rejected"])
      covered = covered || rejected["reason"].get<std::string>().find("already covered by accounts_pkey") != std::string::npos;
    CHECK(covered);
  }

  SECTION("two equalities get one two-column index, not two single ones")
  {
    const std::string sql =
        "SELECT id FROM e2e_advice.accounts WHERE tenant_id = 42 AND status = 'trial'";
    auto report = analyse(sql);
    REQUIRE(report["recommendations"].size() == 1);
    const std::string ddl = report["recommendations"][0]["statement"];
    INFO(ddl);
    CHECK((ddl.find("(tenant_id, status)") != std::string::npos ||
           ddl.find("(status, tenant_id)") != std::string::npos));
    apply_and_check_plan(ddl.substr(0, ddl.size() - 1), sql, index_name_of(ddl));
  }

  SECTION("equality plus ORDER BY ... LIMIT gets an (equality, sort) index")
  {
    const std::string sql =
        "SELECT id, email FROM e2e_advice.accounts WHERE tenant_id = 7 ORDER BY created_at DESC LIMIT 10";
    auto report = analyse(sql);
    REQUIRE_FALSE(report["recommendations"].empty());
    const std::string ddl = report["recommendations"][0]["statement"];
    INFO(ddl);
    CHECK(ddl.find("(tenant_id, created_at DESC)") != std::string::npos);
    apply_and_check_plan(ddl.substr(0, ddl.size() - 1), sql, index_name_of(ddl));
  }

  SECTION("an unindexed foreign key in a join gets an index on it")
  {
    const std::string sql =
        "SELECT e.kind, e.payload FROM e2e_advice.accounts a JOIN e2e_advice.events e "
        "ON e.account_id = a.id WHERE a.id = 4242";
    auto report = analyse(sql);
    REQUIRE_FALSE(report["recommendations"].empty());
    const std::string ddl = report["recommendations"][0]["statement"];
    INFO(ddl);
    CHECK(ddl.find("ON e2e_advice.events (account_id)") != std::string::npos);
    apply_and_check_plan(ddl.substr(0, ddl.size() - 1), sql, index_name_of(ddl));
  }
}
