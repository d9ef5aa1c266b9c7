// `pgadvisor analyze --workload` and the workload engine on the sandbox, with the bad inputs
// of issue 3: invalid statements, unknown tables, an empty workload, a budget of 0, no HypoPG,
// HypoPG out of OIDs, a $n statement that cannot be planned. Nothing is created on the server.

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "advisor/workload_advice.hpp"
#include "connectors/postgres/hypopg_session.hpp"
#include "tests/integration/advisor/sandbox.hpp"

namespace {

void create_schema()
{
  static bool created = false;
  if (created)
    return;
  created = true;
  sandbox::admin(R"sql(
    SET client_min_messages = warning;
    DROP SCHEMA IF EXISTS wl_test CASCADE;
    CREATE SCHEMA wl_test;
    GRANT USAGE ON SCHEMA wl_test TO advisor;
    CREATE TABLE wl_test.users (id bigint PRIMARY KEY, email text NOT NULL, team int NOT NULL,
                                created_at timestamptz NOT NULL);
    INSERT INTO wl_test.users SELECT g, 'u' || g || '@x.org', g % 300,
           timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 100000) g;
    CREATE TABLE wl_test.posts (id bigint PRIMARY KEY, user_id bigint NOT NULL, title text NOT NULL,
                                posted_at timestamptz NOT NULL);
    INSERT INTO wl_test.posts SELECT g, 1 + (g * 7919) % 100000, 't' || g,
           timestamptz '2024-01-01' + g * interval '30 seconds' FROM generate_series(1, 200000) g;
    CREATE INDEX posts_user_id_dup_idx ON wl_test.posts (user_id);
    CREATE INDEX posts_user_id_posted_at_idx ON wl_test.posts (user_id, posted_at);
    GRANT SELECT ON ALL TABLES IN SCHEMA wl_test TO advisor;
  )sql");
  sandbox::admin("VACUUM ANALYZE wl_test.users, wl_test.posts");
}

std::string write_file(const std::string& name, const std::string& text)
{
  const std::string path = "/tmp/pgadvisor_" + name;
  std::ofstream(path) << text;
  return path;
}

nlohmann::json run_json(const std::vector<std::string>& extra, int expected_exit = 0)
{
  std::vector<std::string> args{"analyze", "--db", sandbox::test_dsn(), "--format", "json", "-v"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto run = sandbox::run(args);
  INFO(run.err);
  REQUIRE(run.exit_code == expected_exit);
  return nlohmann::json::parse(run.out);
}

std::string index_count()
{
  return sandbox::admin_value("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                              "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'wl_test'");
}

const char* const good_workload = R"sql(
-- calls: 100
SELECT id, team FROM wl_test.users WHERE email = 'u77@x.org';

-- calls: 20
SELECT id, title FROM wl_test.posts WHERE user_id = 42 ORDER BY posted_at DESC LIMIT 10;
)sql";

}  // namespace

TEST_CASE("workload: invalid statements are reported with their line and the rest is advised", "[integration]")
{
  create_schema();
  const std::string before = index_count();
  const auto path = write_file("wl_invalid.sql", std::string(good_workload) + R"sql(
-- calls: 5
SELEC id FROM wl_test.users;

SELECT id FROM wl_test.no_such_table WHERE id = 1;
)sql");
  auto report = run_json({"--workload", path});
  REQUIRE(report["skipped"].size() == 2);
  CHECK(report["skipped"][0]["line"] == 9);
  CHECK(report["skipped"][0]["reason"].get<std::string>().find("syntax error") != std::string::npos);
  CHECK(report["skipped"][1]["line"] == 11);
  CHECK(report["skipped"][1]["reason"].get<std::string>().find("no_such_table") != std::string::npos);
  CHECK(report["summary"]["statements"] == 2);

  bool email_index = false;
  for (const auto& rec : report["recommendations"]) {
    const auto statement = rec["statement"].get<std::string>();
    if (statement.find("ON wl_test.users (email)") != std::string::npos) {
      email_index = true;
      CHECK(rec["validated"] == true);
      REQUIRE(rec["queries"].size() == 1);
      CHECK(rec["queries"][0]["calls"] == 100);
      CHECK(rec["queries"][0]["cost_after"].get<double>() < rec["queries"][0]["cost_before"].get<double>());
    }
    // The (user_id, posted_at) index exists: nothing may duplicate it.
    CHECK(statement.find("ON wl_test.posts (user_id)") == std::string::npos);
  }
  CHECK(email_index);
  // The leading-column duplicate of the existing two-column index is a drop recommendation.
  bool drop_dup = false;
  for (const auto& rec : report["recommendations"])
    drop_dup = drop_dup || (rec["kind"] == "drop_index" &&
                            rec["statement"] == "DROP INDEX CONCURRENTLY wl_test.posts_user_id_dup_idx;");
  CHECK(drop_dup);
  CHECK(report["summary"]["what_if_calls"].get<int>() > 0);
  CHECK(index_count() == before);
}

TEST_CASE("workload: an empty workload is an error that says so", "[integration]")
{
  const auto path = write_file("wl_empty.sql", "-- nothing here\n\n");
  auto run = sandbox::run({"analyze", "--db", sandbox::test_dsn(), "--workload", path});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("empty workload") != std::string::npos);
}

TEST_CASE("workload: statements only on unknown tables leave nothing to advise, without failing", "[integration]")
{
  create_schema();
  const auto path = write_file("wl_unknown.sql", "SELECT * FROM wl_test.ghost WHERE id = 1;\nSELECT 1 FROM nowhere;\n");
  auto report = run_json({"--workload", path});
  CHECK(report["skipped"].size() == 2);
  CHECK(report["recommendations"].empty());
}

TEST_CASE("workload: a budget of 0 recommends no index and explains each drop", "[integration]")
{
  create_schema();
  const auto path = write_file("wl_budget.sql", good_workload);
  auto report = run_json({"--workload", path, "--budget", "0"});
  for (const auto& rec : report["recommendations"])
    CHECK(rec["kind"] != "create_index");
  bool budget_reason = false;
  for (const auto& rejected : report["rejected"])
    budget_reason = budget_reason || rejected["reason"].get<std::string>().find("size budget") != std::string::npos;
  CHECK(budget_reason);
  CHECK(report["summary"]["budget_bytes"] == 0);
}

TEST_CASE("workload: a malformed budget is a usage error", "[integration]")
{
  const auto path = write_file("wl_budget_bad.sql", good_workload);
  auto run = sandbox::run({"analyze", "--db", sandbox::test_dsn(), "--workload", path, "--budget", "lots"});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("--budget") != std::string::npos);
}

TEST_CASE("workload: normalised $n text is rewritten, sampled or reported unexplainable", "[integration]")
{
  create_schema();
  auto session = connectors::pg::Session::connect(sandbox::test_dsn());
  REQUIRE(session);
  std::vector<advisor::WorkloadStatement> statements(3);
  statements[0].sql = "SELECT id FROM wl_test.users WHERE created_at >= date $1 - interval $2 day AND team = $3";
  statements[1].sql = "SELECT $1 + $2 FROM wl_test.users";
  statements[2].sql = "SELECT id FROM wl_test.users WHERE team = $1";
  for (auto& statement : statements)
    statement.normalized = true;
  advisor::WorkloadSettings settings;
  auto report = advisor::advise_workload(**session, statements, {}, "test", settings);
  REQUIRE(report);
  REQUIRE(report->queries.size() == 2);
  CHECK(report->queries[0].planned_sql.find("$1::date - ($2::text || ' day')::interval") != std::string::npos);
  CHECK(report->queries[0].plan_source == advisor::PlanSource::partly_sampled);
  CHECK(report->queries[1].plan_source == advisor::PlanSource::sampled_values);
  REQUIRE(report->skipped.size() == 1);
  CHECK(report->skipped[0].reason.find("unexplainable") != std::string::npos);
  INFO(report->skipped[0].reason);
  CHECK(report->skipped[0].reason.find("operator is not unique: unknown + unknown (generic plan)") != std::string::npos);
}

TEST_CASE("workload: HypoPG out of OIDs is reset and retried, no candidate lost", "[integration]")
{
  create_schema();
  auto session = connectors::pg::Session::connect(sandbox::test_dsn());
  REQUIRE(session);
  connectors::pg::WhatIfSession what_if(**session);
  REQUIRE(what_if.available());
  {
    // Exhaust HypoPG's OID pool in this backend, as a very large candidate set would.
    pqxx::nontransaction tx((*session)->conn());
    tx.exec("DO $$ BEGIN LOOP PERFORM * FROM hypopg_create_index('CREATE INDEX ON wl_test.users (team)'); END LOOP; "
            "EXCEPTION WHEN others THEN NULL; END $$");
    bool exhausted = false;
    try {
      tx.exec("SELECT * FROM hypopg_create_index('CREATE INDEX ON wl_test.users (team)')");
    } catch (const std::exception& e) {
      exhausted = std::string(e.what()).find("oid") != std::string::npos;
    }
    REQUIRE(exhausted);
  }
  auto cost = what_if.cost_with("SELECT id FROM wl_test.users WHERE email = 'u5@x.org'",
                                {"CREATE INDEX ON wl_test.users (email)"});
  INFO((cost ? std::string() : cost.error().message));
  REQUIRE(cost);
  CHECK(cost->used.size() == 1);
  auto size = what_if.index_size("CREATE INDEX ON wl_test.users (team)");
  REQUIRE(size);
  CHECK(*size > 0);
}
