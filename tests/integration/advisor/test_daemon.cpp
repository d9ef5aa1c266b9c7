// The daemon end to end on the sandbox, as a child process: `run --once` around a burst files a
// recommendation, the file is whole and private, a dismissal sticks, and the store migrates.

#include <sys/stat.h>

#include "connectors/store/recommendation_store.hpp"
#include "tests/integration/advisor/test_daemon_support.hpp"

using namespace std::chrono_literals;

TEST_CASE("daemon: two --once runs around a burst file the missing index; dismiss sticks", "[integration][daemon]")
{
  daemon_test::create_schema();
  daemon_test::ScratchDir dir("once");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, daemon_test::config_text(dir));
  daemon_test::burst(2);  // the statement exists before the baseline: its next calls are a delta

  {
    daemon_test::Process first({"run", "--config", config, "--once"}, {}, dir.file("first.log"));
    REQUIRE(first.wait(60s) == std::optional<int>(0));
  }
  daemon_test::burst();
  daemon_test::Process second({"run", "--config", config, "--once"}, {}, dir.file("second.log"));
  REQUIRE(second.wait(120s) == std::optional<int>(0));
  INFO(second.log());

  const auto file = daemon_test::read_json(dir.file("recommendations.json"));
  CHECK(file["schema_version"] == 1);
  CHECK(file["targets"][0]["name"] == "test");
  CHECK(file["targets"][0]["state"] == "up");
  const auto recommendation = daemon_test::account_index(file);
  REQUIRE_FALSE(recommendation.is_null());
  CHECK(recommendation["status"] == "open");
  CHECK(recommendation["target"] == "test");
  CHECK(recommendation["kind"] == "create_index");
  CHECK(recommendation["rank"].get<int>() >= 1);
  INFO(recommendation.dump(1));
  CHECK(recommendation["queries"][0]["calls"].get<double>() >= 15);
  CHECK(recommendation["queries"][0]["total_ms"].get<double>() > 0);
  CHECK(recommendation["estimate"]["ms_saved_per_day"].get<double>() >= 0);
  struct stat info {};
  REQUIRE(::stat(dir.file("recommendations.json").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  // The log never shows the password file's content or a password.
  CHECK(second.log().find("password") == std::string::npos);

  // `recommendations` reads the store; --dismiss keeps it out of the file from then on.
  const std::string id = recommendation["id"];
  auto listed = sandbox::run({"recommendations", "--config", config, "--format", "json"});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find(id) != std::string::npos);
  auto dismissed = sandbox::run({"recommendations", "--config", config, "--dismiss", id});
  CHECK(dismissed.exit_code == 0);
  auto unknown = sandbox::run({"recommendations", "--config", config, "--dismiss", "no-such-id"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("no recommendation with id no-such-id") != std::string::npos);

  daemon_test::burst();
  daemon_test::Process third({"run", "--config", config, "--once"}, {}, dir.file("third.log"));
  REQUIRE(third.wait(120s) == std::optional<int>(0));
  CHECK(daemon_test::account_index(daemon_test::read_json(dir.file("recommendations.json"))).is_null());
  auto still = sandbox::run({"recommendations", "--config", config, "--status", "dismissed"});
  CHECK(still.out.find(id) != std::string::npos);
  daemon_test::check_store_whole(dir.file("state.db"));
}

TEST_CASE("daemon: an index created by the DBA moves its recommendation to applied", "[integration][daemon]")
{
  daemon_test::create_schema();
  daemon_test::ScratchDir dir("applied");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, daemon_test::config_text(dir));
  daemon_test::burst(2);
  for (int run = 0; run < 2; ++run) {
    if (run == 1)
      daemon_test::burst();
    daemon_test::Process once({"run", "--config", config, "--once"}, {}, dir.file("run.log"));
    REQUIRE(once.wait(120s) == std::optional<int>(0));
  }
  const auto before = daemon_test::account_index(daemon_test::read_json(dir.file("recommendations.json")));
  REQUIRE_FALSE(before.is_null());

  // The DBA runs the recommended statement as it is.
  sandbox::admin(before["statement"].get<std::string>());
  daemon_test::burst();
  daemon_test::Process after({"run", "--config", config, "--once"}, {}, dir.file("after.log"));
  const auto exit_code = after.wait(120s);
  for (const auto& row : sandbox::admin("SELECT indexname FROM pg_indexes WHERE schemaname = 'daemon_it'"
                                        " AND indexname <> 'events_pkey'"))
    sandbox::admin(std::string("DROP INDEX daemon_it.") + row[0].c_str());
  REQUIRE(exit_code == std::optional<int>(0));
  INFO(after.log());
  const auto filed = daemon_test::account_index(daemon_test::read_json(dir.file("recommendations.json")));
  REQUIRE_FALSE(filed.is_null());
  CHECK(filed["status"] == "applied");
  CHECK(filed["id"] == before["id"]);
}
