#pragma once
// What the daemon tests share: a schema with a table that lacks an index, a burst of the
// query that needs it (run as the superuser, not as the daemon's role, so the sampler sees
// it), and a config file.

#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "connectors/store/history_store.hpp"
#include "connectors/store/recommendation_store.hpp"
#include "tests/integration/advisor/sandbox.hpp"
#include "tests/integration/advisor/test_daemon_process.hpp"

namespace daemon_test {

inline void create_schema()
{
  static bool created = false;
  if (created)
    return;
  created = true;
  sandbox::admin(R"sql(
    SET client_min_messages = warning;
    DROP SCHEMA IF EXISTS daemon_it CASCADE;
    CREATE SCHEMA daemon_it;
    GRANT USAGE ON SCHEMA daemon_it TO advisor;
    CREATE TABLE daemon_it.events (id bigint PRIMARY KEY, account int NOT NULL, payload text);
    INSERT INTO daemon_it.events SELECT g, g % 5000, repeat('x', 40) FROM generate_series(1, 300000) g;
    ANALYZE daemon_it.events;
    GRANT SELECT ON ALL TABLES IN SCHEMA daemon_it TO advisor;
  )sql");
}

//! The query the advisor should index: `calls` runs, as postgres (not the daemon's role).
inline void burst(int calls = 15)
{
  pqxx::connection conn(sandbox::admin_dsn());
  pqxx::nontransaction tx(conn);
  for (int i = 0; i < calls; ++i)
    tx.exec("SELECT id, payload FROM daemon_it.events WHERE account = " + std::to_string(100 + i));
}

inline std::string config_text(const ScratchDir& dir, const std::string& extra_daemon = {},
                               const std::string& extra_targets = {})
{
  return "[daemon]\nstate = " + dir.file("state.db") + "\noutput = " + dir.file("recommendations.json") +
         "\nlog_level = debug\n" + extra_daemon + "\n[targets]\ntest = " + sandbox::test_dsn() + "\n" + extra_targets +
         "\n[analysis]\nmean_threshold = 1ms\nmin_calls = 1\nlock_timeout = 500ms\nexplain_analyze = off\n";
}

inline nlohmann::json read_json(const std::string& path)
{
  auto json = nlohmann::json::parse(read_all(path), nullptr, false);
  REQUIRE_FALSE(json.is_discarded());
  return json;
}

//! The recommendation of the index on daemon_it.events (account) in the file, or null.
inline nlohmann::json account_index(const nlohmann::json& file)
{
  for (const auto& r : file["recommendations"])
    if (r["statement"].get<std::string>().find("daemon_it.events (account") != std::string::npos)
      return r;
  return nullptr;
}

inline void check_store_whole(const std::string& path)
{
  auto store = connectors::store::HistoryStore::open(path);
  REQUIRE(store.ok());
  CHECK((*store)->integrity_ok().value());
}

//! No figure in a recommendations file or report is negative. EXPLAIN's "Query Identifier" is
//! pg_stat_statements' signed queryid: a name, not a figure.
inline void check_no_negative_numbers(const nlohmann::json& value)
{
  if (value.is_number())
    CHECK(value.get<double>() >= 0);
  if (!value.is_structured())
    return;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (value.is_object() && it.key() == "Query Identifier")
      continue;
    check_no_negative_numbers(*it);
  }
}

// Readers of a daemon's state file (target "test"), for the auto-apply and verification tests.

//! Every event of target "test" in the state file at `state`.
inline std::vector<connectors::store::EventRecord> store_events(const std::string& state)
{
  auto store = connectors::store::HistoryStore::open(state);
  REQUIRE(store.ok());
  auto events = (*store)->events("test", 100000);
  REQUIRE(events.ok());
  return *events;
}

//! Events of `kind` whose message contains `mentioning` (empty: any).
inline std::size_t count_events(const std::vector<connectors::store::EventRecord>& events, const std::string& kind,
                                const std::string& mentioning = {})
{
  std::size_t n = 0;
  for (const auto& e : events)
    if (e.kind == kind && e.message.find(mentioning) != std::string::npos)
      ++n;
  return n;
}

//! One "kind: message" line per event, for a failure's message.
inline std::string describe_events(const std::vector<connectors::store::EventRecord>& events)
{
  std::string text;
  for (const auto& e : events)
    text += e.kind + ": " + e.message + "\n";
  return text;
}

//! applied_at and the stored windows of the recommendation's statements: what verification
//! splits into before and after (a window straddling applied_at counts on neither side).
inline std::string describe_windows(const std::string& state, const connectors::store::StoredRecommendation& r)
{
  std::ostringstream text;
  text.precision(15);
  text << "applied_at " << r.applied_at.value_or(0) << "\n";
  auto store = connectors::store::HistoryStore::open(state);
  REQUIRE(store.ok());
  for (const auto& fingerprint : r.fingerprints) {
    auto windows = (*store)->windows("test", fingerprint, 50);
    REQUIRE(windows.ok());
    for (const auto& w : *windows)
      text << fingerprint << " window " << w.start_at << " - " << w.end_at << ": " << w.calls << " calls, mean "
           << w.mean_ms << " ms\n";
  }
  return text.str();
}

//! One `run --once` with `extra` arguments; requires exit code 0 within 60 s.
inline void run_once(const std::string& config, const std::string& log, const std::vector<std::string>& extra = {})
{
  using namespace std::chrono_literals;
  std::vector<std::string> args{"run", "--config", config, "--once"};
  args.insert(args.end(), extra.begin(), extra.end());
  Process once(args, {}, log);
  const auto exit_code = once.wait(60s);
  INFO(once.log());
  REQUIRE(exit_code.has_value());  // not still running after 60 s
  REQUIRE(*exit_code == 0);
}

//! The first stored recommendation for which `matches` is true, or nullopt.
template <typename Predicate>
std::optional<connectors::store::StoredRecommendation> find_stored(const std::string& state, Predicate matches)
{
  auto store = connectors::store::HistoryStore::open(state);
  REQUIRE(store.ok());
  auto all = connectors::store::list_recommendations((*store)->database());
  REQUIRE(all.ok());
  for (const auto& r : *all)
    if (matches(r))
      return r;
  return std::nullopt;
}

//! The first recommendation of the JSON file at `path` for which `matches` is true, or null.
template <typename Predicate>
nlohmann::json find_in_file(const std::string& path, Predicate matches)
{
  const auto file = read_json(path);  // kept alive: the loop reads inside it
  for (const auto& r : file["recommendations"])
    if (matches(r))
      return r;
  return nullptr;
}

//! DROP TABLE as the daemon's role (the tables of the auto-apply tests are its own).
inline void drop_own_table(const std::string& qualified)
{
  pqxx::connection conn(sandbox::test_dsn());
  pqxx::nontransaction tx(conn);
  tx.exec("DROP TABLE IF EXISTS " + qualified + " CASCADE");
}

//! A fresh 300k-row table `qualified` (schema created if needed) without an index on
//! `account`, owned by the daemon's role so that auto-apply may build the index.
inline void make_account_table(const std::string& schema, const std::string& qualified)
{
  pqxx::connection conn(sandbox::test_dsn());
  pqxx::nontransaction tx(conn);
  tx.exec("SET client_min_messages = warning");
  tx.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
  tx.exec("DROP TABLE IF EXISTS " + qualified + " CASCADE");
  tx.exec("CREATE TABLE " + qualified + " (id bigint PRIMARY KEY, account int NOT NULL, payload text)");
  tx.exec("INSERT INTO " + qualified + " SELECT g, g % 5000, repeat('x', 40) FROM generate_series(1, 300000) g");
  // The INSERT's counts reach the shared statistics only when the backend flushes them (at
  // idle, at most once a second): flushed after the ANALYZE they would show the table as
  // modified since, and the daemon would recommend an ANALYZE as well.
  tx.exec("SELECT pg_stat_force_next_flush()");
  tx.exec("ANALYZE " + qualified);
}

//! The query that needs the index on `account`, `calls` times, as the superuser (seen by the
//! sampler, which leaves the daemon's own role out).
inline void account_burst(const std::string& qualified, int calls = 15)
{
  pqxx::connection conn(sandbox::admin_dsn());
  pqxx::nontransaction tx(conn);
  for (int i = 0; i < calls; ++i)
    tx.exec("SELECT id, payload FROM " + qualified + " WHERE account = " + std::to_string(100 + i));
}

//! Indexes of `qualified` that a failed build left INVALID.
inline std::size_t invalid_indexes(const std::string& qualified)
{
  return std::stoul(sandbox::admin_value("SELECT count(*) FROM pg_index WHERE NOT indisvalid AND indrelid = '" +
                                         qualified + "'::regclass"));
}

//! Verification needs the workload to run again after the change: up to three more
//! `workload(); run --once` cycles (logs verify0.log…), within 40 s, while `status()` still
//! says "applied". One cycle should do; the others only absorb a slow sandbox.
template <typename Workload, typename Status>
void cycle_until_judged(const std::string& config, const ScratchDir& dir, const std::vector<std::string>& extra,
                        Workload workload, Status status)
{
  using namespace std::chrono_literals;
  const auto deadline = std::chrono::steady_clock::now() + 40s;
  for (int cycle = 0; cycle < 3 && status() == "applied" && std::chrono::steady_clock::now() < deadline; ++cycle) {
    workload();
    run_once(config, dir.file("verify" + std::to_string(cycle) + ".log"), extra);
  }
}

}  // namespace daemon_test
