// The service unit passes systemd's own checks, and the daemon speaks the notify protocol:
// READY once config and store are loaded, watchdog pings, RELOADING/READY on SIGHUP (a bad
// config on reload keeps the old one), STOPPING on SIGTERM, exit 0.

#include <cstdio>
#include <memory>
#include <regex>

#include "tests/integration/advisor/notify_socket.hpp"
#include "tests/integration/advisor/test_daemon_support.hpp"

using namespace std::chrono_literals;

namespace {

std::string command_output(const std::string& command)
{
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen((command + " 2>&1").c_str(), "r"), ::pclose);
  REQUIRE(pipe);
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe.get()))
    out += buffer;
  return out;
}

//! The unit with ExecStart= pointing at the freshly built binary (verify checks it exists).
std::string unit_for_test(const daemon_test::ScratchDir& dir)
{
  std::string unit = daemon_test::read_all(std::string(PGADVISOR_SOURCE_DIR) + "/systemd/pgadvisor.service");
  REQUIRE(unit.find("ExecStart=/usr/bin/pgadvisor ") != std::string::npos);
  unit = std::regex_replace(unit, std::regex("/usr/bin/pgadvisor"), PGADVISOR_BINARY);
  const auto path = dir.file("pgadvisor.service");
  daemon_test::write_file(path, unit);
  return path;
}

}  // namespace

TEST_CASE("systemd: systemd-analyze verify prints nothing", "[integration][systemd]")
{
  daemon_test::ScratchDir dir("verify");
  const auto unit = unit_for_test(dir);
  CHECK(command_output("systemd-analyze verify '" + unit + "'").empty());
}

TEST_CASE("systemd: systemd-analyze security scores 2.0 or less", "[integration][systemd]")
{
  daemon_test::ScratchDir dir("security");
  const auto unit = unit_for_test(dir);
  const auto out = command_output("systemd-analyze security --offline=yes '" + unit + "'");
  std::smatch match;
  REQUIRE(std::regex_search(out, match, std::regex(R"(Overall exposure level for \S+: ([0-9.]+))")));
  INFO(out);
  CHECK(std::stod(match[1]) <= 2.0);
}

TEST_CASE("systemd: READY, watchdog pings, RELOADING on SIGHUP, STOPPING on SIGTERM", "[integration][systemd]")
{
  daemon_test::create_schema();
  daemon_test::ScratchDir dir("notify");
  const auto config = dir.file("pgadvisor.conf");
  // A target that is down: start-up must not wait for it.
  daemon_test::write_file(config, daemon_test::config_text(dir, "interval = 1s\n",
                                                           "down = host=127.0.0.1 port=1 dbname=x user=y\n"));
  daemon_test::NotifySocket socket(dir.file("notify.sock"));
  daemon_test::Process daemon({"run", "--config", config},
                              {"NOTIFY_SOCKET=" + dir.file("notify.sock"), "WATCHDOG_USEC=400000"},
                              dir.file("daemon.log"));
  REQUIRE(socket.wait_for("READY=1", 10s));
  REQUIRE(socket.wait_for("WATCHDOG=1", 2s));
  REQUIRE(socket.wait_for("WATCHDOG=1", 2s));  // keeps pinging while idle between cycles

  daemon.signal(SIGHUP);
  REQUIRE(socket.wait_for("RELOADING=1", 5s));
  REQUIRE(socket.wait_for("READY=1", 5s));
  CHECK(daemon.wait_for_log("reloaded: 2 targets", 5s));

  // A broken file on reload is logged, the running configuration kept, and READY sent again.
  daemon_test::write_file(config, daemon_test::config_text(dir, "intervall = 1s\n"));
  daemon.signal(SIGHUP);
  REQUIRE(socket.wait_for("RELOADING=1", 5s));
  REQUIRE(socket.wait_for("READY=1", 5s));
  CHECK(daemon.wait_for_log("reload failed: " + config + ":5: daemon.intervall: unknown key", 5s));
  CHECK(daemon.wait_for_log("keeping the running configuration", 1s));

  daemon.signal(SIGTERM);
  REQUIRE(socket.wait_for("STOPPING=1", 5s));
  CHECK(daemon.wait(15s) == std::optional<int>(0));
  CHECK(socket.count("READY=1") == 3);
}

TEST_CASE("systemd: SIGTERM during a long cycle exits 0 within the shutdown timeout", "[integration][systemd]")
{
  daemon_test::create_schema();
  daemon_test::ScratchDir dir("sigterm");
  const auto config = dir.file("pgadvisor.conf");
  // A connect that hangs (a TCP listener that never answers) keeps the cycle busy.
  daemon_test::write_file(config, daemon_test::config_text(dir, "shutdown_timeout = 1s\n",
                                                           "slow = host=10.255.255.1 dbname=x user=y connect_timeout=30\n"));
  daemon_test::Process daemon({"run", "--config", config}, {}, dir.file("daemon.log"));
  REQUIRE(daemon.wait_for_log("started", 10s));
  std::this_thread::sleep_for(500ms);
  const auto start = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  CHECK(daemon.wait(5s) == std::optional<int>(0));
  CHECK(std::chrono::steady_clock::now() - start < 4s);
}
