// Bad input to `pgadvisor analyze`: each gets a clear message naming what is wrong, the right
// exit code, and leaves the server as it was.

#include <chrono>
#include <thread>

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
    DROP SCHEMA IF EXISTS e2e_bad CASCADE;
    CREATE SCHEMA e2e_bad;
    GRANT USAGE, CREATE ON SCHEMA e2e_bad TO advisor;
    CREATE TABLE e2e_bad.t (id int PRIMARY KEY, v text);
    INSERT INTO e2e_bad.t SELECT g, 'v' || g FROM generate_series(1, 1000) g;
    CREATE TABLE e2e_bad.audit (at timestamptz, note text);
    CREATE FUNCTION e2e_bad.write_audit() RETURNS int VOLATILE LANGUAGE plpgsql AS
      $$ BEGIN INSERT INTO e2e_bad.audit VALUES (now(), 'called'); RETURN 1; END $$;
    GRANT ALL ON ALL TABLES IN SCHEMA e2e_bad TO advisor;
    GRANT EXECUTE ON FUNCTION e2e_bad.write_audit() TO advisor;
  )sql");
}

sandbox::CliRun analyse(const std::string& sql, std::vector<std::string> extra = {})
{
  std::vector<std::string> args{"analyze", "--db", sandbox::test_dsn()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(sql);
  return sandbox::run(args);
}

long row_count(const std::string& table)
{
  return std::stol(sandbox::admin_value("SELECT count(*) FROM " + table));
}

//! pgadvisor's session ends with the command: no transaction of it stays open on the server.
//! (Only transactions count: other tests may run a pgadvisor daemon on the same server.)
void check_no_leftovers()
{
  CHECK(sandbox::admin_value("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgadvisor' "
                             "AND state LIKE 'idle in transaction%'") == "0");
}

}  // namespace

TEST_CASE("analyze: bad input is refused with a clear message", "[integration]")
{
  create_schema();

  SECTION("invalid SQL: exit 1, libpg_query's message and the position")
  {
    auto run = analyse("SELECT id FROM e2e_bad.t WHERE id = = 1");
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("syntax error at or near \"=\"") != std::string::npos);
    CHECK(run.err.find("position 37") != std::string::npos);
    CHECK(run.err.find("^") != std::string::npos);
  }

  SECTION("an unknown table: exit 1, the table is named")
  {
    auto run = analyse("SELECT * FROM e2e_bad.no_such_table WHERE id = 1");
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("no_such_table") != std::string::npos);
    CHECK(run.err.find("does not exist") != std::string::npos);
    check_no_leftovers();
  }

  SECTION("an empty query: exit 1")
  {
    auto run = analyse("   -- nothing here\n");
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("empty query") != std::string::npos);
  }

  SECTION("a query file that does not exist: exit 1, the path is named")
  {
    auto run = sandbox::run({"analyze", "--db", sandbox::test_dsn(), "-f", "/nonexistent/q.sql"});
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("/nonexistent/q.sql") != std::string::npos);
  }

  SECTION("a server that is down: exit 1, says it cannot connect")
  {
    // Port 1 on loopback: nothing listens there.
    auto run = sandbox::run({"analyze", "--db", "host=127.0.0.1 port=1 dbname=x user=y connect_timeout=3",
                             "SELECT 1"});
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("127.0.0.1") != std::string::npos);
  }

  SECTION("a wrong password: exit 1, and the password appears nowhere")
  {
    const std::string password = "Wr0ngSecret-4711";
    auto run = sandbox::run({"analyze", "--db", sandbox::test_dsn() + " password=" + password, "SELECT 1"});
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("password authentication failed") != std::string::npos);
    CHECK(run.err.find(password) == std::string::npos);
    CHECK(run.out.find(password) == std::string::npos);

    auto url = sandbox::run({"analyze", "--db",
                             "postgresql://advisor:" + password + "@127.0.0.1:" +
                                 sandbox::env("PGADVISOR_SANDBOX_PORT") + "/pgadvisor_test",
                             "SELECT 1"});
    CHECK(url.exit_code == 1);
    CHECK(url.err.find(password) == std::string::npos);
  }

  SECTION("a query slower than statement_timeout: exit 1, says so")
  {
    auto run = analyse("SELECT pg_sleep(5)", {"--statement-timeout", "300"});
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("statement_timeout") != std::string::npos);
    check_no_leftovers();
  }

  SECTION("a table locked ACCESS EXCLUSIVE: fails within lock_timeout, says so")
  {
    pqxx::connection holder(sandbox::admin_dsn());
    pqxx::work lock(holder);
    lock.exec("LOCK TABLE e2e_bad.t IN ACCESS EXCLUSIVE MODE");
    const auto started = std::chrono::steady_clock::now();
    auto run = analyse("SELECT v FROM e2e_bad.t WHERE id = 3", {"--lock-timeout", "200"});
    const auto elapsed = std::chrono::steady_clock::now() - started;
    lock.abort();
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("lock") != std::string::npos);
    CHECK(elapsed < std::chrono::seconds(10));
    check_no_leftovers();
  }

  SECTION("two statements are refused and the second never runs")
  {
    auto run = analyse("SELECT 1; DROP TABLE e2e_bad.t");
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("one statement") != std::string::npos);
    CHECK(sandbox::admin_value("SELECT to_regclass('e2e_bad.t') IS NOT NULL") == "t");
  }

  SECTION("UPDATE, DELETE and INSERT are explained without ANALYZE; data unchanged")
  {
    const long before = row_count("e2e_bad.t");
    for (const std::string sql : {"UPDATE e2e_bad.t SET v = 'changed' WHERE id < 500",
                                  "DELETE FROM e2e_bad.t WHERE id > 10",
                                  "INSERT INTO e2e_bad.t SELECT g + 5000, 'x' FROM generate_series(1, 10) g"}) {
      auto run = analyse(sql);
      INFO(sql << "\n" << run.err);
      CHECK(run.exit_code == 0);
      CHECK(run.out.find("EXPLAIN (not executed)") != std::string::npos);
    }
    CHECK(row_count("e2e_bad.t") == before);
    CHECK(sandbox::admin_value("SELECT count(*) FROM e2e_bad.t WHERE v = 'changed'") == "0");
    check_no_leftovers();
  }

  SECTION("WITH ... DELETE is not executed")
  {
    const long before = row_count("e2e_bad.t");
    auto run = analyse("WITH gone AS (DELETE FROM e2e_bad.t WHERE id < 100 RETURNING id) SELECT count(*) FROM gone");
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("EXPLAIN (not executed)") != std::string::npos);
    CHECK(row_count("e2e_bad.t") == before);
  }

  SECTION("a SELECT calling a volatile function that writes is stopped by READ ONLY")
  {
    const long before = row_count("e2e_bad.audit");
    auto run = analyse("SELECT e2e_bad.write_audit()");
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("read-only transaction") != std::string::npos);
    CHECK(row_count("e2e_bad.audit") == before);
    check_no_leftovers();
  }
}
