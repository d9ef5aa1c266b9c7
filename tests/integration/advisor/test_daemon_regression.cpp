// A regression staged on the sandbox (issue 5): a statement served by an index runs over a few
// `run --once` cycles, the index is dropped, and the next cycle detects the regression, names
// the plan change as the top hypothesis and recommends restoring the index.

#include "connectors/store/sqlite_db.hpp"
#include "tests/integration/advisor/test_daemon_support.hpp"

using namespace std::chrono_literals;

namespace {

const char* const query_prefix = "SELECT id, payload FROM daemon_reg.items WHERE account = ";

void create_regression_schema()
{
  sandbox::admin(R"sql(
    SET client_min_messages = warning;
    DROP SCHEMA IF EXISTS daemon_reg CASCADE;
    CREATE SCHEMA daemon_reg;
    GRANT USAGE ON SCHEMA daemon_reg TO advisor;
    CREATE TABLE daemon_reg.items (id bigint PRIMARY KEY, account int NOT NULL, payload text);
    INSERT INTO daemon_reg.items SELECT g, g % 5000, repeat('x', 40) FROM generate_series(1, 300000) g;
    CREATE INDEX items_account_idx ON daemon_reg.items (account);
    GRANT SELECT ON ALL TABLES IN SCHEMA daemon_reg TO advisor;
  )sql");
  // Its own transaction: analysed inside the one that inserted, the table would count all its
  // rows as modified since (the insert's counts are reported at commit).
  sandbox::admin("ANALYZE daemon_reg.items");
}

//! `calls` runs of the statement, as postgres (the sampler leaves the daemon's own role out).
void burst(int calls)
{
  pqxx::connection conn(sandbox::admin_dsn());
  pqxx::nontransaction tx(conn);
  for (int i = 0; i < calls; ++i)
    tx.exec(query_prefix + std::to_string(100 + i % 50));
}

//! Windows count from 5 calls; a mean twice the baseline's median is a regression; every
//! statement with any mean is analysed (with room in the budget for other tests' statements on
//! the shared sandbox), so the plan with the index is recorded too.
std::string regression_config(const daemon_test::ScratchDir& dir)
{
  return "[daemon]\nstate = " + dir.file("state.db") + "\noutput = " + dir.file("recommendations.json") +
         "\nlog_level = debug\n[targets]\ntest = " + sandbox::test_dsn() +
         "\n[analysis]\nmean_threshold = 0ms\nmin_calls = 5\nregression_ratio = 2\nmax_analyses = 25"
         "\nlock_timeout = 500ms\nexplain_analyze = off\n";
}

//! One `run --once`; returns its log.
std::string run_once(const std::string& config, const daemon_test::ScratchDir& dir, int run)
{
  daemon_test::Process once({"run", "--config", config, "--once"}, {},
                            dir.file("run" + std::to_string(run) + ".log"));
  const auto exit_code = once.wait(60s);
  INFO(once.log());
  REQUIRE(exit_code == std::optional<int>(0));
  return once.log();
}

//! The statement's queryid, as pg_stat_statements and the daemon know it: EXPLAIN VERBOSE shows
//! it (constants do not change it; the table's oid does, so earlier runs' entries never match).
std::string queryid_of_statement()
{
  const auto plan = nlohmann::json::parse(sandbox::admin_value("EXPLAIN (VERBOSE, FORMAT JSON) " +
                                                               std::string(query_prefix) + "1"));
  REQUIRE(plan[0].contains("Query Identifier"));
  return std::to_string(plan[0]["Query Identifier"].get<std::int64_t>());
}

std::vector<std::string> finding_rules(const std::string& state, const std::string& fingerprint)
{
  auto db = connectors::store::Database::open(state, 5000);
  REQUIRE(db.ok());
  auto stmt = (*db)->prepare("SELECT rule_id FROM findings WHERE target = 'test' AND fingerprint = ?1");
  REQUIRE(stmt.ok());
  stmt->bind(1, fingerprint);
  std::vector<std::string> rules;
  for (;;) {
    auto row = stmt->step();
    REQUIRE(row.ok());
    if (!*row)
      break;
    rules.push_back(stmt->text(0));
  }
  return rules;
}

//! The create_index recommendation on daemon_reg.items (account…) in the file, or null.
nlohmann::json restoring_recommendation(const nlohmann::json& file)
{
  for (const auto& r : file["recommendations"])
    if (r["kind"] == "create_index" &&
        r["statement"].get<std::string>().find("daemon_reg.items (account") != std::string::npos)
      return r;
  return nullptr;
}

}  // namespace

TEST_CASE("daemon regression: a dropped index is detected, blamed on the plan change and restored",
          "[integration][daemon]")
{
  const auto started = std::chrono::steady_clock::now();
  create_regression_schema();
  daemon_test::ScratchDir dir("regression");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, regression_config(dir));

  // The first run only takes the baseline sample; the five after it each store one window of
  // the fast (index) plan: the regression detector's minimum baseline.
  burst(5);
  for (int run = 0; run < 6; ++run) {
    if (run > 0)
      burst(200);
    run_once(config, dir, run);
  }
  CHECK(restoring_recommendation(daemon_test::read_json(dir.file("recommendations.json"))).is_null());

  sandbox::admin("DROP INDEX daemon_reg.items_account_idx");
  burst(20);
  const auto log = run_once(config, dir, 6);
  INFO(log);

  // Only now: EXPLAIN as postgres adds a pg_stat_statements entry with the statement's queryid
  // and an EXPLAIN text, which the daemon would take for the statement's own.
  const std::string fingerprint = queryid_of_statement();
  const auto rules = finding_rules(dir.file("state.db"), fingerprint);
  std::string listed;
  for (const auto& rule : rules)
    listed += rule + " ";
  INFO("findings of queryid " << fingerprint << ": " << listed);
  CHECK(std::find(rules.begin(), rules.end(), "detect.regressed") != rules.end());
  CHECK(std::find(rules.begin(), rules.end(), "hypotheses") != rules.end());

  const auto file = daemon_test::read_json(dir.file("recommendations.json"));
  const auto restoring = restoring_recommendation(file);
  INFO(file.dump(1));
  REQUIRE_FALSE(restoring.is_null());
  const auto& hypotheses = restoring["trace"]["hypotheses"];
  REQUIRE(hypotheses.is_array());
  REQUIRE_FALSE(hypotheses.empty());
  const auto& top = hypotheses[0];
  CHECK(top["cause"] == "plan_change");
  CHECK(top["remedy"] == "create_index");
  const std::string statement = top["statement"];
  // It names what was lost: the dropped index (on account) and the table now scanned.
  CHECK(statement.find("items_account_idx") != std::string::npos);
  CHECK(statement.find("daemon_reg.items") != std::string::npos);
  CHECK(top["figures"]["mean_ratio"].get<double>() >= 2);
  // `pgadvisor recommendations` shows the same top hypothesis under the recommendation.
  const auto listed_text = sandbox::run({"recommendations", "--config", config});
  CHECK(listed_text.exit_code == 0);
  CHECK(listed_text.out.find("   why: " + statement) != std::string::npos);
  daemon_test::check_no_negative_numbers(file);
  daemon_test::check_store_whole(dir.file("state.db"));

  sandbox::admin("DROP SCHEMA daemon_reg CASCADE");
  CHECK(std::chrono::steady_clock::now() - started < 60s);
}
