// What the server does under a long-running daemon, on a throwaway PostgreSQL of the tests'
// own (the shared sandbox is never restarted): `pg_ctl restart -m immediate` between cycles
// and mid-cycle, pg_stat_statements_reset() between cycles, entries evicted from a small
// pg_stat_statements. The daemon keeps running, the store stays whole, no window holds a
// negative figure, no filed recommendation is lost. And the workload index advice: one index
// serving several detected statements is filed once, with all of them.

#include <map>
#include <set>
#include <memory>

#include "connectors/store/history_store.hpp"
#include "tests/integration/advisor/test_daemon_support.hpp"

using namespace std::chrono_literals;

namespace {

//! A PostgreSQL of its own (scripts/pg-sandbox with PGADVISOR_SANDBOX_DIR), with a small
//! pg_stat_statements so that a burst evicts entries. Destroyed at the end of the run.
class Throwaway {
public:
  Throwaway()
  {
    m_dir = "/tmp/pgadvisor-it-throwaway-" + std::to_string(::getpid());
    std::system(("rm -rf '" + m_dir + "'").c_str());
    const std::string command = "PGADVISOR_SANDBOX_DIR='" + m_dir +
                                "' PGADVISOR_SANDBOX_CONF='pg_stat_statements.max = 100' '" +
                                std::string(PGADVISOR_SOURCE_DIR) + "/scripts/pg-sandbox' start >/dev/null";
    m_started = std::system(command.c_str()) == 0;
    REQUIRE(m_started);
    std::istringstream env(daemon_test::read_all(m_dir + "/env"));
    for (std::string line; std::getline(env, line);) {
      if (line.rfind("export ", 0) != 0 || line.find('=') == std::string::npos)
        continue;
      const auto equals = line.find('=');
      std::string value = line.substr(equals + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      m_env[line.substr(7, equals - 7)] = value;
    }
    REQUIRE_FALSE(test_dsn().empty());
    REQUIRE_FALSE(admin_dsn().empty());
  }
  ~Throwaway()
  {
    if (m_started)
      std::system(("PGADVISOR_SANDBOX_DIR='" + m_dir + "' '" + std::string(PGADVISOR_SOURCE_DIR) +
                   "/scripts/pg-sandbox' destroy >/dev/null")
                      .c_str());
    std::system(("rm -rf '" + m_dir + "'").c_str());
  }
  Throwaway(const Throwaway&) = delete;
  Throwaway& operator=(const Throwaway&) = delete;

  std::string value(const std::string& key) const
  {
    auto it = m_env.find(key);
    return it == m_env.end() ? std::string() : it->second;
  }
  std::string test_dsn() const { return value("PGADVISOR_TEST_DSN"); }
  std::string admin_dsn() const { return value("PGADVISOR_ADMIN_DSN"); }
  //! The daemon's environment: its password file, not the shared sandbox's.
  std::vector<std::string> daemon_env() const { return {"PGPASSFILE=" + value("PGPASSFILE")}; }

  pqxx::result admin(const std::string& sql) const
  {
    pqxx::connection conn(admin_dsn());
    pqxx::nontransaction tx(conn);
    return tx.exec(sql);
  }

  //! `pg_ctl restart -m immediate`: no shutdown checkpoint, pg_stat_statements starts empty.
  void restart_immediate() const
  {
    const std::string command = "runuser -u '" + value("PGADVISOR_SANDBOX_USER") +
                                "' -- /usr/lib/postgresql/15/bin/pg_ctl -D '" + value("PGADVISOR_SANDBOX_DATA") +
                                "' -m immediate -w -t 60 restart >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
  }

private:
  std::string m_dir;
  bool m_started = false;
  std::map<std::string, std::string> m_env;
};

//! One instance for the whole run, with the tables the cases query.
Throwaway& server()
{
  static std::unique_ptr<Throwaway> instance;
  if (!instance) {
    instance = std::make_unique<Throwaway>();
    instance->admin(R"sql(
      SET client_min_messages = warning;
      CREATE SCHEMA restart_it;
      GRANT USAGE ON SCHEMA restart_it TO advisor;
      CREATE TABLE restart_it.events (id bigint PRIMARY KEY, account int NOT NULL, payload text);
      INSERT INTO restart_it.events SELECT g, g % 2000, repeat('x', 40) FROM generate_series(1, 200000) g;
      ANALYZE restart_it.events;
      GRANT SELECT ON ALL TABLES IN SCHEMA restart_it TO advisor;
    )sql");
  }
  return *instance;
}

//! The query that needs the index on restart_it.events (account), `calls` times, as postgres.
void burst(int calls = 15)
{
  pqxx::connection conn(server().admin_dsn());
  pqxx::nontransaction tx(conn);
  for (int i = 0; i < calls; ++i)
    tx.exec("SELECT id, payload FROM restart_it.events WHERE account = " + std::to_string(100 + i));
}

std::string throwaway_config(const daemon_test::ScratchDir& dir, const std::string& extra_daemon = {})
{
  return "[daemon]\nstate = " + dir.file("state.db") + "\noutput = " + dir.file("recommendations.json") +
         "\nlog_level = debug\n" + extra_daemon + "\n[targets]\nthrowaway = " + server().test_dsn() +
         "\n[analysis]\nmean_threshold = 1ms\nmin_calls = 1\nlock_timeout = 500ms\nexplain_analyze = off\n";
}

nlohmann::json throwaway_index(const nlohmann::json& file)
{
  for (const auto& r : file["recommendations"])
    if (r["statement"].get<std::string>().find("restart_it.events (account") != std::string::npos)
      return r;
  return nullptr;
}

//! `--once`, which must exit 0; returns its log.
std::string run_once(const std::string& config, const daemon_test::ScratchDir& dir, const std::string& name)
{
  daemon_test::Process once({"run", "--config", config, "--once"}, server().daemon_env(), dir.file(name + ".log"));
  const auto exit_code = once.wait(180s);
  INFO(once.log());
  REQUIRE(exit_code == std::optional<int>(0));
  return once.log();
}

//! Two `--once` runs around a burst: the store and the file hold the account index.
nlohmann::json seed(const std::string& config, const daemon_test::ScratchDir& dir)
{
  burst(2);
  run_once(config, dir, "seed1");
  burst();
  run_once(config, dir, "seed2");
  const auto seeded = throwaway_index(daemon_test::read_json(dir.file("recommendations.json")));
  REQUIRE_FALSE(seeded.is_null());
  return seeded;
}

//! The store is whole, holds windows and none with a negative figure; the file is whole, has
//! no negative figure and still holds `seeded` as it was first filed.
void check_nothing_lost(const daemon_test::ScratchDir& dir, const nlohmann::json& seeded)
{
  daemon_test::check_store_whole(dir.file("state.db"));
  auto store = connectors::store::HistoryStore::open(dir.file("state.db"));
  REQUIRE(store.ok());
  auto count = [&](const std::string& sql) {
    auto statement = (*store)->database().prepare(sql);
    REQUIRE(statement.ok());
    REQUIRE(statement->step().value());
    return statement->integer(0);
  };
  CHECK(count("SELECT count(*) FROM windows") > 0);
  CHECK(count("SELECT count(*) FROM windows WHERE calls < 0 OR total_ms < 0 OR mean_ms < 0 OR stddev_ms < 0 "
              "OR rows < 0 OR shared_blks_hit < 0 OR shared_blks_read < 0 OR temp_blks_read < 0 "
              "OR temp_blks_written < 0 OR end_at < start_at") == 0);
  CHECK(count("SELECT count(*) FROM hourly WHERE calls < 0 OR total_ms < 0 OR sum_sq_ms < 0 OR rows < 0 "
              "OR shared_blks_hit < 0 OR shared_blks_read < 0 OR temp_blks_written < 0") == 0);

  const auto file = daemon_test::read_json(dir.file("recommendations.json"));
  daemon_test::check_no_negative_numbers(file);
  const auto still = throwaway_index(file);
  REQUIRE_FALSE(still.is_null());
  CHECK(still["id"] == seeded["id"]);
  CHECK(still["first_seen"] == seeded["first_seen"]);
  CHECK(file["targets"][0]["state"] == "up");
}

}  // namespace

TEST_CASE("daemon restart: pg_ctl restart -m immediate between cycles and mid-cycle", "[integration][daemon]")
{
  daemon_test::ScratchDir dir("restart");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, throwaway_config(dir, "interval = 200ms\nretry_initial = 100ms\nretry_max = 400ms\n"));
  const auto seeded = seed(config, dir);

  // Between two --once cycles: every counter the baseline holds is gone after the restart.
  burst(5);
  server().restart_immediate();
  burst();
  const auto after = run_once(config, dir, "after-restart");
  CHECK(after.find("throwaway: target is down") == std::string::npos);
  check_nothing_lost(dir, seeded);

  // Mid-cycle: the running daemon loses its connections, comes back, stops cleanly.
  daemon_test::Process daemon({"run", "--config", config}, server().daemon_env(), dir.file("daemon.log"));
  REQUIRE(daemon.wait_for_log("throwaway: connected", 20s));
  burst();
  REQUIRE(daemon.wait_for_log("throwaway: cycle:", 20s, 2));
  server().restart_immediate();
  burst();
  const bool back = daemon.wait_for_log("throwaway: target is up again", 30s);
  INFO(daemon.log());
  CHECK(back);
  daemon.signal(SIGTERM);
  REQUIRE(daemon.wait(30s) == std::optional<int>(0));
  CHECK(daemon_test::count(daemon.log(), "throwaway: target is down") >= 1);
  burst();
  run_once(config, dir, "after-mid-cycle");
  check_nothing_lost(dir, seeded);
}

TEST_CASE("daemon restart: pg_stat_statements_reset() between cycles", "[integration][daemon]")
{
  daemon_test::ScratchDir dir("pgss-reset");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, throwaway_config(dir));
  const auto seeded = seed(config, dir);

  burst(3);
  server().admin("SELECT pg_stat_statements_reset()");
  burst(2);
  const auto log = run_once(config, dir, "after-reset");
  // The counters went backwards: a new baseline and a marked window, never a negative delta.
  CHECK(log.find("window marked") != std::string::npos);
  check_nothing_lost(dir, seeded);
  burst();
  run_once(config, dir, "next");
  check_nothing_lost(dir, seeded);
}

TEST_CASE("daemon restart: pg_stat_statements.max = 100 and 300 distinct statements evict entries",
          "[integration][daemon]")
{
  daemon_test::ScratchDir dir("eviction");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, throwaway_config(dir));
  const auto seeded = seed(config, dir);
  REQUIRE(server().admin("SHOW pg_stat_statements.max")[0][0].as<std::string>() == "100");
  const auto dealloc_before = server().admin("SELECT dealloc FROM pg_stat_statements_info")[0][0].as<long>();

  // 300 statements with 1…300 output columns: 300 distinct queryids.
  {
    pqxx::connection conn(server().admin_dsn());
    pqxx::nontransaction tx(conn);
    std::string columns = "id";
    for (int i = 1; i <= 300; ++i) {
      tx.exec("SELECT " + columns + " FROM restart_it.events WHERE id = " + std::to_string(i));
      columns += ", id";
    }
  }
  burst();
  const auto dealloc_after = server().admin("SELECT dealloc FROM pg_stat_statements_info")[0][0].as<long>();
  CHECK(dealloc_after > dealloc_before);
  run_once(config, dir, "after-eviction");
  check_nothing_lost(dir, seeded);
  burst();
  run_once(config, dir, "next");
  check_nothing_lost(dir, seeded);
}

TEST_CASE("daemon restart: one index serving two detected statements is filed once with both",
          "[integration][daemon]")
{
  daemon_test::ScratchDir dir("workload");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, throwaway_config(dir));
  auto both = [](int calls) {
    burst(calls);
    pqxx::connection conn(server().admin_dsn());
    pqxx::nontransaction tx(conn);
    for (int i = 0; i < calls; ++i)
      tx.exec("SELECT count(*) FROM restart_it.events WHERE account = " + std::to_string(300 + i));
  };
  both(2);
  run_once(config, dir, "first");
  both(15);
  run_once(config, dir, "second");
  const auto file = daemon_test::read_json(dir.file("recommendations.json"));
  INFO(file.dump(1));
  int on_account = 0;
  nlohmann::json index;
  for (const auto& r : file["recommendations"])
    if (r["kind"] == "create_index" && r["statement"].get<std::string>().find("restart_it.events (account") !=
                                           std::string::npos) {
      ++on_account;
      index = r;
    }
  REQUIRE(on_account == 1);
  REQUIRE(index["queries"].size() == 2);
  std::set<std::string> texts;
  for (const auto& query : index["queries"]) {
    texts.insert(query["normalized"].get<std::string>());
    CHECK(query["calls"].get<double>() >= 15);
  }
  CHECK(texts.size() == 2);
  // Chosen by the workload engine for both statements at once, not per statement.
  CHECK(index["rationale"].get<std::string>().find("serves 2 queries") != std::string::npos);
  // The whole index's estimate: both statements' costs, weighted by their window calls.
  double before = 0;
  double after = 0;
  for (const auto& query : index["queries"]) {
    before += query["calls"].get<double>() * query["cost_before"].get<double>();
    after += query["calls"].get<double>() * query["cost_after"].get<double>();
  }
  CHECK(index["estimate"]["cost_before"].get<double>() == Approx(before).epsilon(1e-6));
  CHECK(index["estimate"]["cost_after"].get<double>() == Approx(after).epsilon(1e-6));
  CHECK(before > after);
  daemon_test::check_no_negative_numbers(file);
}
