// An auto-apply build that takes a while, with the daemon (`run`, not --once) under a systemd
// watchdog: the daemon keeps sending WATCHDOG=1 while CREATE INDEX CONCURRENTLY runs on its own
// thread, and a SIGTERM during the build waits for it (up to daemon.shutdown_timeout) and
// records its outcome before exiting 0.
//
// The build is made long on purpose: a REPEATABLE READ transaction that read the table holds an
// old snapshot, and CREATE INDEX CONCURRENTLY waits for every older snapshot of the database
// (under [auto_apply] lock_timeout) before it marks the index valid. That transaction also
// holds its ACCESS SHARE lock on the table, so the DROP INDEX CONCURRENTLY that cleans up a
// failed build waits for it too: the test ends the transaction once it sees that DROP waiting.
//
// WATCHDOG_PID is not given to the child: its pid is only known after the fork, and both
// sd_watchdog_enabled() and the raw notifier accept an absent WATCHDOG_PID.

#include <csignal>
#include <memory>
#include <optional>

#include "tests/integration/advisor/notify_socket.hpp"
#include "tests/integration/advisor/test_daemon_support.hpp"

using namespace std::chrono_literals;

namespace {

const std::string schema = "longbuild_it";

std::string qualified(const std::string& table) { return schema + "." + table; }

void make_table(const std::string& table) { daemon_test::make_account_table(schema, qualified(table)); }

void burst(const std::string& table, int calls = 15) { daemon_test::account_burst(qualified(table), calls); }

std::size_t invalid_indexes(const std::string& table) { return daemon_test::invalid_indexes(qualified(table)); }

//! Valid indexes of `table` whose key is the account column.
std::size_t valid_account_indexes(const std::string& table)
{
  return std::stoul(sandbox::admin_value("SELECT count(*) FROM pg_index WHERE indisvalid AND indrelid = '" +
                                         qualified(table) + "'::regclass"
                                         " AND pg_get_indexdef(indexrelid) LIKE '%(account%'"));
}

//! True when a backend of the test database runs a statement starting with `prefix` on the test
//! schema (quoted or not) and waits for a lock: both CONCURRENTLY statements wait on the virtual
//! transaction of an older snapshot or of a lock holder.
bool waiting_statement(const std::string& prefix)
{
  return sandbox::admin_value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                              " AND state = 'active' AND wait_event_type = 'Lock' AND query LIKE '" +
                              prefix + "%" + schema + "%'") != "0";
}

//! An open REPEATABLE READ transaction that has read `table`: an old snapshot CREATE INDEX
//! CONCURRENTLY waits for, and an ACCESS SHARE lock DROP INDEX CONCURRENTLY waits for.
class SnapshotHolder {
public:
  explicit SnapshotHolder(const std::string& table) : m_conn(sandbox::admin_dsn()), m_tx(m_conn)
  {
    m_tx.exec("SELECT count(*) FROM " + qualified(table));
  }
  void release()
  {
    if (m_open)
      m_tx.abort();
    m_open = false;
  }

private:
  pqxx::connection m_conn;
  pqxx::transaction<pqxx::isolation_level::repeatable_read> m_tx;
  bool m_open = true;
};

//! The config of both cases: a long interval (one cycle during the test), auto-apply of indexes.
std::string long_build_config(const daemon_test::ScratchDir& dir)
{
  return daemon_test::config_text(dir, "interval = 60s\nshutdown_timeout = 20s\n") +
         "\n[auto_apply]\nenabled = on\nkinds = create_index\n";
}

//! Baseline and burst before the daemon starts: its first cycle then files the recommendation
//! on `table` and auto-applies it.
void prepare(const std::string& table, const std::string& config, const daemon_test::ScratchDir& dir)
{
  make_table(table);
  burst(table, 2);  // the statement exists before the baseline: its next calls are a delta
  daemon_test::run_once(config, dir.file("baseline.log"));
  burst(table);
}

//! `run --config F` with the notify socket and a 1 s watchdog (a ping due every 0.5 s), the
//! build waiting up to `lock_timeout` for the held snapshot.
std::unique_ptr<daemon_test::Process> start_daemon(const std::string& config, const daemon_test::ScratchDir& dir,
                                                   const std::string& lock_timeout)
{
  return std::make_unique<daemon_test::Process>(
      std::vector<std::string>{"run", "--config", config, "--set", "auto_apply.lock_timeout=" + lock_timeout},
      std::vector<std::string>{"NOTIFY_SOCKET=" + dir.file("notify.sock"), "WATCHDOG_USEC=1000000"},
      dir.file("daemon.log"));
}

//! Collects notify messages until the daemon's log contains `needle`; false after `timeout`.
bool collect_until_log(daemon_test::NotifySocket& socket, daemon_test::Process& daemon, const std::string& needle,
                       std::chrono::milliseconds timeout)
{
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (daemon.log().find(needle) != std::string::npos)
      return true;
    socket.collect_for(100ms);
  }
  return false;
}

std::optional<connectors::store::StoredRecommendation> stored_recommendation(const std::string& state,
                                                                             const std::string& table)
{
  return daemon_test::find_stored(state, [&](const auto& r) {
    return r.kind == "create_index" && r.statement.find(qualified(table) + " (account") != std::string::npos;
  });
}

//! What both cases start from: `table` prepared, its snapshot held, the daemon started with the
//! notify socket, and its first cycle's auto-apply of the index under way (waiting up to
//! `lock_timeout` for the held snapshot).
struct BuildUnderWay {
  BuildUnderWay(const std::string& table_, const std::string& scratch, const std::string& lock_timeout)
      : table(table_), dir(scratch), config(dir.file("pgadvisor.conf")), state(dir.file("state.db"))
  {
    daemon_test::write_file(config, long_build_config(dir));
    prepare(table, config, dir);
    holder.emplace(table);  // after the baseline run, before the daemon starts
    socket.emplace(dir.file("notify.sock"));
    daemon = start_daemon(config, dir, lock_timeout);
    REQUIRE(socket->wait_for("READY=1", 10s));
    const bool applying = collect_until_log(*socket, *daemon, "auto-applying", 40s);
    INFO(daemon->log());
    REQUIRE(applying);
  }

  std::string table;
  daemon_test::ScratchDir dir;
  std::string config;
  std::string state;
  std::optional<SnapshotHolder> holder;
  std::optional<daemon_test::NotifySocket> socket;
  std::unique_ptr<daemon_test::Process> daemon;
};

}  // namespace

TEST_CASE("long build: the watchdog is fed while a build waits, and its failure is cleaned up",
          "[integration][daemon][systemd]")
{
  BuildUnderWay run("watch_events", "longbuild-watchdog", "6s");
  const auto& table = run.table;
  const auto& state = run.state;
  auto& holder = *run.holder;
  auto& socket = *run.socket;
  auto& daemon = run.daemon;
  const auto start = std::chrono::steady_clock::now();
  const auto pings_before = socket.count("WATCHDOG=1");

  // The build fails after lock_timeout (6 s); its cleanup then waits for the holder's lock.
  const auto deadline = start + 30s;
  bool released = false;
  while (std::chrono::steady_clock::now() < deadline && daemon->log().find("auto-apply of ") == std::string::npos) {
    if (!released && waiting_statement("DROP INDEX CONCURRENTLY")) {
      holder.release();
      released = true;
    }
    socket.collect_for(100ms);
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto pings = socket.count("WATCHDOG=1") - pings_before;
  INFO(seconds << " s from auto-applying to the build's outcome, " << pings << " watchdog pings");
  holder.release();
  INFO(daemon->log());
  REQUIRE(daemon->log().find("auto-apply of ") != std::string::npos);
  CHECK(released);  // the cleanup did wait for the held lock
  CHECK(daemon->log().find("failed (canceling statement due to lock timeout)") != std::string::npos);
  CHECK(seconds >= 5.5);  // the 6 s lock_timeout, less the polling of the log
  CHECK(pings >= 6);  // one per 0.5 s: a 1 s watchdog never went hungry

  daemon->signal(SIGTERM);
  REQUIRE(socket.wait_for("STOPPING=1", 5s));
  CHECK(daemon->wait(15s) == std::optional<int>(0));

  CHECK(invalid_indexes(table) == 0);
  CHECK(valid_account_indexes(table) == 0);
  const auto events = daemon_test::store_events(state);
  INFO(daemon_test::describe_events(events));
  CHECK(daemon_test::count_events(events, "apply.build_started", "CONCURRENTLY") == 1);
  CHECK(daemon_test::count_events(events, "apply.build_failed", "lock timeout") == 1);
  CHECK(daemon_test::count_events(events, "apply.cleaned_up", table) == 1);
  CHECK(daemon_test::count_events(events, "apply.cleanup_failed") == 0);
  CHECK(daemon_test::count_events(events, "apply.created") == 0);
  CHECK(daemon_test::count_events(events, "recommendation_applied") == 0);
  const auto recommendation = stored_recommendation(state, table);
  REQUIRE(recommendation);
  CHECK(recommendation->status == "open");
  CHECK_FALSE(recommendation->applied_at);
  daemon_test::drop_own_table(qualified(table));
}

TEST_CASE("long build: SIGTERM during a build waits for it, records it, and exits 0",
          "[integration][daemon][systemd]")
{
  // Patient enough that the build outlives the signal and the wait below, whatever the load.
  BuildUnderWay run("term_events", "longbuild-sigterm", "15s");
  const auto& table = run.table;
  const auto& state = run.state;
  auto& holder = *run.holder;
  auto& socket = *run.socket;
  auto& daemon = run.daemon;
  // Signalled while the build waits for the held snapshot, not before it started.
  const auto build_deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < build_deadline && !waiting_statement("CREATE INDEX CONCURRENTLY"))
    socket.collect_for(100ms);
  REQUIRE(waiting_statement("CREATE INDEX CONCURRENTLY"));

  daemon->signal(SIGTERM);
  REQUIRE(socket.wait_for("STOPPING=1", 3s));
  // The loop beside the build notices the signal within its 0.5 s poll; only then is the
  // snapshot released, so the build ends while the daemon waits for it, every run.
  const bool waiting = collect_until_log(socket, *daemon, "stopping: waiting for the running auto-apply to finish", 3s);
  CHECK(daemon->log().find("stopped") == std::string::npos);
  // Still stopping, still building: the loop that waits for the build keeps pinging.
  const auto pings_before = socket.count("WATCHDOG=1");
  socket.collect_for(1500ms);
  const auto pings_while_stopping = socket.count("WATCHDOG=1") - pings_before;
  holder.release();
  const auto exit_code = daemon->wait(25s);
  const auto log = daemon->log();
  INFO(log);
  CHECK(waiting);
  CHECK(pings_while_stopping >= 2);
  REQUIRE(exit_code.has_value());  // not still running after 25 s
  CHECK(*exit_code == 0);
  CHECK(log.find("shutdown timeout reached") == std::string::npos);  // ended by itself, not by the alarm
  CHECK(log.find("stopped") != std::string::npos);
  // The build's outcome was logged before the daemon stopped.
  CHECK(log.find(": created (") != std::string::npos);
  CHECK(log.find(": created (") < log.find("stopped"));

  // The build finished once the snapshot was gone: valid, recorded, marked applied.
  CHECK(invalid_indexes(table) == 0);
  CHECK(valid_account_indexes(table) == 1);
  const auto events = daemon_test::store_events(state);
  INFO(daemon_test::describe_events(events));
  CHECK(daemon_test::count_events(events, "apply.build_started", "CONCURRENTLY") == 1);
  CHECK(daemon_test::count_events(events, "apply.created") == 1);
  CHECK(daemon_test::count_events(events, "apply.build_failed") == 0);
  CHECK(daemon_test::count_events(events, "apply.unlocked") == 1);
  const auto recommendation = stored_recommendation(state, table);
  REQUIRE(recommendation);
  CHECK(recommendation->status == "applied");
  CHECK(recommendation->applied_at);
  daemon_test::check_store_whole(state);
  daemon_test::drop_own_table(qualified(table));
}
