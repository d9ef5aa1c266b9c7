// What a production database does to a long-running daemon: a target down at start, a killed
// backend, a locked table, kill -9 mid-cycle, a full disk. Never a crash, never a negative
// number, never a lost recommendation.

#include <random>

#include "connectors/store/recommendation_store.hpp"
#include "tests/integration/advisor/test_daemon_support.hpp"

using namespace std::chrono_literals;

namespace {

//! Runs `--once` twice around a burst so that the store holds the account index.
void seed_recommendation(const std::string& config, const daemon_test::ScratchDir& dir)
{
  daemon_test::burst(2);
  for (int run = 0; run < 2; ++run) {
    if (run == 1)
      daemon_test::burst();
    daemon_test::Process once({"run", "--config", config, "--once"}, {}, dir.file("seed.log"));
    REQUIRE(once.wait(120s) == std::optional<int>(0));
  }
  REQUIRE_FALSE(daemon_test::account_index(daemon_test::read_json(dir.file("recommendations.json"))).is_null());
}

}  // namespace

TEST_CASE("daemon: a target down at start does not stop the others; logged once; backoff", "[integration][daemon]")
{
  daemon_test::create_schema();
  daemon_test::ScratchDir dir("down");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, daemon_test::config_text(dir, "interval = 300ms\nretry_initial = 100ms\nretry_max = 400ms\n",
                                                           "down = host=127.0.0.1 port=1 dbname=x user=y connect_timeout=1\n"));
  daemon_test::Process daemon({"run", "--config", config}, {}, dir.file("daemon.log"));
  REQUIRE(daemon.wait_for_log("test: connected", 20s));
  std::this_thread::sleep_for(3s);
  daemon.signal(SIGTERM);
  REQUIRE(daemon.wait(15s) == std::optional<int>(0));
  const auto log = daemon.log();
  INFO(log);
  // Logged once per state change, however many retries there were.
  CHECK(daemon_test::count(log, "down: target is down") == 1);
  CHECK(daemon_test::count(log, "down: still down") >= 3);
  // Capped backoff: with a 400 ms cap (+20 % jitter), no wait exceeds 0.5 s.
  CHECK(log.find("next in 0.") != std::string::npos);
  CHECK(log.find("next in 1.") == std::string::npos);
  const auto file = daemon_test::read_json(dir.file("recommendations.json"));
  CHECK(file["targets"][0]["state"] == "up");
  CHECK_FALSE(file["targets"][0]["last_cycle"].is_null());
  CHECK(file["targets"][1]["name"] == "down");
  CHECK(file["targets"][1]["state"] == "down");
  CHECK(log.find("stopped") != std::string::npos);
}

TEST_CASE("daemon: a backend killed with pg_terminate_backend is reconnected", "[integration][daemon]")
{
  daemon_test::create_schema();
  daemon_test::ScratchDir dir("terminate");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, daemon_test::config_text(dir, "interval = 300ms\nretry_initial = 100ms\nretry_max = 200ms\n"));
  daemon_test::Process daemon({"run", "--config", config}, {}, dir.file("daemon.log"));
  REQUIRE(daemon.wait_for_log("test: connected", 20s));
  sandbox::admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgadvisor'"
                 " AND pid <> pg_backend_pid()");
  REQUIRE(daemon.wait_for_log("test: target is up again", 20s));
  daemon.signal(SIGTERM);
  REQUIRE(daemon.wait(15s) == std::optional<int>(0));
  INFO(daemon.log());
  CHECK(daemon_test::count(daemon.log(), "test: target is down") == 1);
}

TEST_CASE("daemon: a table locked during EXPLAIN costs that analysis only", "[integration][daemon]")
{
  daemon_test::create_schema();
  daemon_test::ScratchDir dir("locked");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, daemon_test::config_text(dir));
  daemon_test::burst(2);
  {
    daemon_test::Process first({"run", "--config", config, "--once"}, {}, dir.file("first.log"));
    REQUIRE(first.wait(60s) == std::optional<int>(0));
  }
  daemon_test::burst();
  pqxx::connection locker(sandbox::admin_dsn());
  pqxx::work lock(locker);
  lock.exec("LOCK TABLE daemon_it.events IN ACCESS EXCLUSIVE MODE");
  daemon_test::Process second({"run", "--config", config, "--once"}, {}, dir.file("second.log"));
  const auto exit_code = second.wait(60s);
  lock.abort();
  REQUIRE(exit_code == std::optional<int>(0));
  INFO(second.log());
  CHECK(second.log().find("not analysed") != std::string::npos);
  CHECK(second.log().find("lock") != std::string::npos);
  const auto file = daemon_test::read_json(dir.file("recommendations.json"));
  CHECK(file["targets"][0]["state"] == "up");
  daemon_test::check_store_whole(dir.file("state.db"));
}

TEST_CASE("daemon: kill -9 mid-cycle leaves a whole store, a whole file, every recommendation", "[integration][daemon]")
{
  daemon_test::create_schema();
  daemon_test::ScratchDir dir("kill9");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, daemon_test::config_text(dir, "interval = 50ms\n"));
  seed_recommendation(config, dir);
  const auto seeded = daemon_test::account_index(daemon_test::read_json(dir.file("recommendations.json")));

  std::mt19937 random(42);
  for (int round = 0; round < 5; ++round) {
    daemon_test::burst(5);
    daemon_test::Process daemon({"run", "--config", config}, {}, dir.file("daemon.log"));
    REQUIRE(daemon.wait_for_log("started", 10s));
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + random() % 900));
    daemon.signal(SIGKILL);
    REQUIRE(daemon.wait(5s) == std::optional<int>(-SIGKILL));

    daemon_test::check_store_whole(dir.file("state.db"));
    const auto file = daemon_test::read_json(dir.file("recommendations.json"));  // parses: whole
    const auto still = daemon_test::account_index(file);
    REQUIRE_FALSE(still.is_null());
    CHECK(still["id"] == seeded["id"]);
    CHECK(still["first_seen"] == seeded["first_seen"]);
    daemon_test::check_no_negative_numbers(file);
  }
}

TEST_CASE("daemon: a full disk for the state directory is logged, nothing is corrupted", "[integration][daemon]")
{
  daemon_test::create_schema();
  daemon_test::ScratchDir dir("fulldisk");
  const std::string mount = dir.file("state");
  REQUIRE(std::system(("mkdir -p '" + mount + "' && mount -t tmpfs -o size=4m tmpfs '" + mount + "'").c_str()) == 0);
  struct Unmount {
    std::string path;
    ~Unmount() { std::system(("umount '" + path + "'").c_str()); }
  } unmount{mount};

  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, "[daemon]\nstate = " + mount + "/state.db\noutput = " + mount +
                                      "/recommendations.json\nlog_level = debug\n[targets]\ntest = " +
                                      sandbox::test_dsn() + "\n[analysis]\nmean_threshold = 1ms\nmin_calls = 1\n"
                                      "explain_analyze = off\n");
  daemon_test::burst(2);
  {
    daemon_test::Process first({"run", "--config", config, "--once"}, {}, dir.file("first.log"));
    REQUIRE(first.wait(60s) == std::optional<int>(0));
  }
  daemon_test::burst();
  {
    daemon_test::Process second({"run", "--config", config, "--once"}, {}, dir.file("second.log"));
    const auto exit_code = second.wait(120s);
    INFO(second.log());
    REQUIRE(exit_code == std::optional<int>(0));
  }
  const auto before = daemon_test::read_all(mount + "/recommendations.json");
  REQUIRE_FALSE(daemon_test::account_index(nlohmann::json::parse(before)).is_null());

  // Fill the file system to the last byte.
  std::system(("dd if=/dev/zero of='" + mount + "/filler' bs=4k 2>/dev/null; sync").c_str());
  daemon_test::burst();
  daemon_test::Process full({"run", "--config", config, "--once"}, {}, dir.file("full.log"));
  const auto exit_code = full.wait(120s);
  INFO(full.log());
  CHECK((exit_code == std::optional<int>(0) || exit_code == std::optional<int>(1)));
  const auto log = full.log();
  CHECK((log.find("No space left on device") != std::string::npos || log.find("disk is full") != std::string::npos));
  // The old file is still there, whole.
  CHECK(daemon_test::read_all(mount + "/recommendations.json") == before);
  std::remove((mount + "/filler").c_str());
  daemon_test::check_store_whole(mount + "/state.db");
  auto store = connectors::store::HistoryStore::open(mount + "/state.db");
  REQUIRE(store.ok());
  CHECK_FALSE(connectors::store::list_recommendations((*store)->database(), "open")->empty());
}
