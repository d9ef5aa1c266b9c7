// `analyze` recommendations in the daemon, end to end (`run --once` cycles on the sandbox): a
// statement reading a table whose statistics are stale gets "ANALYZE schema.table;" (low
// risk). With auto-apply on for that kind the daemon runs the ANALYZE itself, marks the
// recommendation applied and later judges it; with auto-apply off it never runs one, and an
// ANALYZE a person runs between two cycles moves the recommendation to applied, whether the
// daemon keeps running (previous sample in memory) or runs --once (previous sample from the
// saved baseline).
//
// The tables belong to the daemon's role (only the owner or a superuser may ANALYZE them) and
// have autovacuum off, so that no autoanalyze races the test. The workload runs as the
// superuser, because the sampler leaves the daemon's own statements out. One table per case,
// so a case's statements never show up in another case's windows.

#include <csignal>
#include <ctime>
#include <thread>

#include "connectors/store/recommendation_store.hpp"
#include "tests/integration/advisor/test_daemon_support.hpp"

using namespace std::chrono_literals;

namespace {

const std::string schema = "analyze_daemon_it";

std::string qualified(const std::string& table) { return schema + "." + table; }

std::string analyze_statement(const std::string& table) { return "ANALYZE " + qualified(table) + ";"; }

//! A table analysed at 20k rows that then grew to 220k: its statistics are stale (1000+ rows
//! and 20 % modified since the ANALYZE, and its reltuples no longer matches n_live_tup, so the
//! "just analysed" exemption does not hold).
void make_stale_table(const std::string& table)
{
  pqxx::connection conn(sandbox::test_dsn());
  pqxx::nontransaction tx(conn);
  tx.exec("SET client_min_messages = warning");
  tx.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
  tx.exec("DROP TABLE IF EXISTS " + qualified(table) + " CASCADE");
  tx.exec("CREATE TABLE " + qualified(table) +
          " (id bigint PRIMARY KEY, sensor int NOT NULL, value float8 NOT NULL) WITH (autovacuum_enabled = false)");
  tx.exec("INSERT INTO " + qualified(table) + " SELECT g, g % 100, g FROM generate_series(1, 20000) g");
  // Flushed before the ANALYZE: flushed after, these inserts would count as modified since it.
  tx.exec("SELECT pg_stat_force_next_flush()");
  tx.exec("ANALYZE " + qualified(table));
  tx.exec("INSERT INTO " + qualified(table) + " SELECT g, 7, g FROM generate_series(20001, 220000) g");
  tx.exec("SELECT pg_stat_force_next_flush()");
}

//! A scan of the whole table (tens of ms: above the test config's 1 ms mean threshold),
//! `calls` times, as the superuser (seen by the sampler).
void burst(const std::string& table, int calls = 15)
{
  pqxx::connection conn(sandbox::admin_dsn());
  pqxx::nontransaction tx(conn);
  for (int i = 0; i < calls; ++i)
    tx.exec("SELECT sensor, count(*), avg(value) FROM " + qualified(table) + " WHERE sensor = " +
            std::to_string(i % 3 == 0 ? 7 : 100 + i) + " GROUP BY sensor");
}

struct AnalyzeCounters {
  long analyze_count = 0;  //!< manual ANALYZEs (the daemon's and a person's)
  long autoanalyze_count = 0;
  long n_mod_since_analyze = 0;
};

//! The table's ANALYZE counters as pg_stat_user_tables shows them now.
AnalyzeCounters counters(const std::string& table)
{
  const auto rows = sandbox::admin("SELECT analyze_count, autoanalyze_count, n_mod_since_analyze"
                                   " FROM pg_stat_user_tables WHERE relid = '" + qualified(table) + "'::regclass");
  REQUIRE(rows.size() == 1);
  return {rows[0][0].as<long>(), rows[0][1].as<long>(), rows[0][2].as<long>()};
}

//! The stored analyze recommendation of `table`, or nullopt.
std::optional<connectors::store::StoredRecommendation> stored_analyze(const std::string& state,
                                                                      const std::string& table)
{
  return daemon_test::find_stored(
      state, [&](const auto& r) { return r.kind == "analyze" && r.statement == analyze_statement(table); });
}

//! The analyze recommendation of `table` in the JSON file, or null.
nlohmann::json analyze_in_file(const std::string& path, const std::string& table)
{
  return daemon_test::find_in_file(
      path, [&](const auto& r) { return r["kind"] == "analyze" && r["statement"] == analyze_statement(table); });
}

//! Baseline, burst, the filing cycle (logs baseline.log, filing.log).
void file_it(const std::string& table, const std::string& config, const daemon_test::ScratchDir& dir,
             const std::vector<std::string>& extra = {})
{
  burst(table, 2);  // the statement exists before the baseline: its next calls are a delta
  daemon_test::run_once(config, dir.file("baseline.log"), extra);
  burst(table);
  daemon_test::run_once(config, dir.file("filing.log"), extra);
}

//! What every filed analyze recommendation looks like in the daemon's file.
void check_filed(const nlohmann::json& filed, const std::string& table)
{
  REQUIRE_FALSE(filed.is_null());
  CHECK(filed["kind"] == "analyze");
  CHECK(filed["statement"] == analyze_statement(table));
  CHECK(filed["risk"] == "low");
  REQUIRE(filed["trace"]["findings"].is_array());
  REQUIRE_FALSE(filed["trace"]["findings"].empty());
  CHECK(filed["trace"]["findings"][0]["id"] == "stale_statistics");
}

const std::vector<std::string> quick_verification{"--set", "verification.min_calls=10"};

//! The analyze recommendation of `table` in the file a running daemon replaces atomically; null
//! while the file is not written yet or does not hold it.
nlohmann::json analyze_in_live_file(const std::string& path, const std::string& table)
{
  const auto file = nlohmann::json::parse(daemon_test::read_all(path), nullptr, false);
  if (file.is_discarded() || !file.contains("recommendations"))
    return nullptr;
  for (const auto& r : file["recommendations"])
    if (r["kind"] == "analyze" && r["statement"] == analyze_statement(table))
      return r;
  return nullptr;
}

//! Polls the running daemon's file until the recommendation of `table` exists and `done` holds
//! for it, bursting the workload every few seconds (the cycle that first sees a statement only
//! starts its counters); null when `timeout` passes first.
template <typename Done>
nlohmann::json wait_in_file(const std::string& path, const std::string& table, std::chrono::seconds timeout,
                            Done done)
{
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    burst(table);
    const auto round_end = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < round_end) {
      auto filed = analyze_in_live_file(path, table);
      if (!filed.is_null() && done(filed))
        return filed;
      std::this_thread::sleep_for(100ms);
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("daemon analyze: auto-apply runs ANALYZE on the stale table, then verification decides",
          "[integration][daemon]")
{
  const std::string table = "auto_readings";
  make_stale_table(table);
  const auto initial = counters(table);
  REQUIRE(initial.n_mod_since_analyze >= 200000);  // the setup made it stale
  daemon_test::ScratchDir dir("analyze-auto");
  const auto config = dir.file("pgadvisor.conf");
  const auto state = dir.file("state.db");
  daemon_test::write_file(config,
                          daemon_test::config_text(dir) + "\n[auto_apply]\nenabled = on\nkinds = analyze\n");

  const double started = static_cast<double>(std::time(nullptr));
  file_it(table, config, dir, quick_verification);
  INFO(daemon_test::read_all(dir.file("filing.log")));
  const auto events = daemon_test::store_events(state);
  INFO(daemon_test::describe_events(events));

  // The filing cycle ran the ANALYZE: counted, and the modification counter starts again.
  const auto after = counters(table);
  CHECK(after.analyze_count == initial.analyze_count + 1);
  CHECK(after.n_mod_since_analyze < 1000);

  auto applied = stored_analyze(state, table);
  REQUIRE(applied);
  CHECK(applied->status == "applied");
  REQUIRE(applied->applied_at);
  CHECK(*applied->applied_at >= started);
  CHECK(*applied->applied_at <= static_cast<double>(std::time(nullptr)) + 1);
  CHECK(daemon_test::count_events(events, "apply.analyze_started", table) == 1);
  CHECK(daemon_test::count_events(events, "apply.analyzed", table) == 1);
  CHECK(daemon_test::count_events(events, "apply.analyze_failed") == 0);
  CHECK(daemon_test::count_events(events, "recommendation_applied", applied->id) == 1);
  // Only the analyze kind was listed: no index was built on the table.
  CHECK(daemon_test::count_events(events, "apply.build_started") == 0);
  CHECK(sandbox::admin_value("SELECT count(*) FROM pg_index WHERE indrelid = '" + qualified(table) +
                             "'::regclass") == "1");  // the primary key only
  check_filed(analyze_in_file(dir.file("recommendations.json"), table), table);

  // Case 3: the workload runs again after the ANALYZE; 10 calls on each side decide it.
  daemon_test::cycle_until_judged(
      config, dir, quick_verification, [&] { burst(table); },
      [&] {
        const auto now = stored_analyze(state, table);
        REQUIRE(now);
        return now->status;
      });
  const auto decided = stored_analyze(state, table);
  REQUIRE(decided);
  INFO(daemon_test::describe_windows(state, *decided));
  CHECK((decided->status == "verified" || decided->status == "no_effect" || decided->status == "regressed"));
  const auto numbers = nlohmann::json::parse(decided->verification, nullptr, false);
  REQUIRE(numbers.is_object());
  REQUIRE(numbers.contains("calls_before"));
  REQUIRE(numbers.contains("calls_after"));
  CHECK(numbers["calls_before"].get<double>() >= 10);
  CHECK(numbers["calls_after"].get<double>() >= 10);
  const auto later = daemon_test::store_events(state);
  INFO(daemon_test::describe_events(later));
  CHECK(daemon_test::count_events(later, "recommendation_verified", decided->id) +
            daemon_test::count_events(later, "recommendation_regressed", decided->id) +
            daemon_test::count_events(later, "recommendation_updated", decided->id + ": no_effect") ==
        1);
  const auto filed = analyze_in_file(dir.file("recommendations.json"), table);
  REQUIRE_FALSE(filed.is_null());
  CHECK(filed["status"] == decided->status);
  CHECK(filed["verification"].is_object());
  // Verification never analyses again: the daemon's one ANALYZE is still the only one.
  CHECK(counters(table).analyze_count == initial.analyze_count + 1);
  daemon_test::check_store_whole(state);
  daemon_test::drop_own_table(qualified(table));
}

TEST_CASE("daemon analyze: auto-apply off, an ANALYZE run by a person moves the recommendation to applied",
          "[integration][daemon]")
{
  const std::string table = "manual_readings";
  make_stale_table(table);
  const auto initial = counters(table);
  daemon_test::ScratchDir dir("analyze-manual");
  const auto config = dir.file("pgadvisor.conf");
  const auto state = dir.file("state.db");
  daemon_test::write_file(config, daemon_test::config_text(dir));

  file_it(table, config, dir);
  {
    INFO(daemon_test::read_all(dir.file("filing.log")));
    const auto open = stored_analyze(state, table);
    REQUIRE(open);
    CHECK(open->status == "open");
    CHECK_FALSE(open->applied_at);
    check_filed(analyze_in_file(dir.file("recommendations.json"), table), table);
  }
  // Another cycle with auto-apply off: still open, and still no ANALYZE by the daemon.
  burst(table);
  daemon_test::run_once(config, dir.file("open.log"));
  {
    INFO(daemon_test::read_all(dir.file("open.log")));
    const auto open = stored_analyze(state, table);
    REQUIRE(open);
    CHECK(open->status == "open");
  }
  const auto before_person = counters(table);
  CHECK(before_person.analyze_count == initial.analyze_count);
  CHECK(before_person.autoanalyze_count == initial.autoanalyze_count);
  CHECK(before_person.n_mod_since_analyze >= 200000);

  sandbox::admin("ANALYZE " + qualified(table));  // the person
  CHECK(counters(table).analyze_count == initial.analyze_count + 1);
  const double analysed_at = static_cast<double>(std::time(nullptr));

  burst(table);
  daemon_test::run_once(config, dir.file("seen.log"));
  INFO(daemon_test::read_all(dir.file("seen.log")));
  const auto events = daemon_test::store_events(state);
  INFO(daemon_test::describe_events(events));
  const auto applied = stored_analyze(state, table);
  REQUIRE(applied);
  CHECK(applied->status == "applied");
  REQUIRE(applied->applied_at);
  CHECK(*applied->applied_at >= analysed_at - 1);
  CHECK(daemon_test::count_events(events, "recommendation_applied", applied->id + ": applied outside pgadvisor") == 1);
  CHECK(daemon_test::count_events(events, "recommendation_resolved", applied->id) == 0);
  // The daemon itself never ran an ANALYZE, nor considered one.
  for (const auto& e : events)
    CHECK(e.kind.rfind("apply.", 0) != 0);
  CHECK(counters(table).analyze_count == initial.analyze_count + 1);
  const auto filed = analyze_in_file(dir.file("recommendations.json"), table);
  REQUIRE_FALSE(filed.is_null());
  CHECK(filed["status"] == "applied");
  daemon_test::check_store_whole(state);
  daemon_test::drop_own_table(qualified(table));
}

TEST_CASE("daemon analyze: a running daemon sees a person's ANALYZE at its next cycle", "[integration][daemon]")
{
  // The previous sample is in memory here (no baseline round trip as between --once runs).
  const std::string table = "running_readings";
  make_stale_table(table);
  const auto initial = counters(table);
  daemon_test::ScratchDir dir("analyze-running");
  const auto config = dir.file("pgadvisor.conf");
  const auto output = dir.file("recommendations.json");
  daemon_test::write_file(config, daemon_test::config_text(dir, "interval = 500ms\n"));
  daemon_test::Process daemon({"run", "--config", config}, {}, dir.file("daemon.log"));
  REQUIRE(daemon.wait_for_log("test: cycle:", 20s));

  const auto open = wait_in_file(output, table, 30s, [](const nlohmann::json&) { return true; });
  INFO(daemon.log());
  REQUIRE_FALSE(open.is_null());
  check_filed(open, table);
  CHECK(open["status"] == "open");
  CHECK(counters(table).analyze_count == initial.analyze_count);  // auto-apply is off

  sandbox::admin("ANALYZE " + qualified(table));  // the person
  const auto applied = wait_in_file(output, table, 20s, [](const nlohmann::json& r) { return r["status"] != "open"; });
  daemon.signal(SIGTERM);
  REQUIRE(daemon.wait(30s) == std::optional<int>(0));
  INFO(daemon.log());
  REQUIRE_FALSE(applied.is_null());
  CHECK(applied["status"] == "applied");
  const auto events = daemon_test::store_events(dir.file("state.db"));
  INFO(daemon_test::describe_events(events));
  CHECK(daemon_test::count_events(events, "recommendation_applied",
                                  applied["id"].get<std::string>() + ": applied outside pgadvisor") == 1);
  for (const auto& e : events)
    CHECK(e.kind.rfind("apply.", 0) != 0);
  CHECK(counters(table).analyze_count == initial.analyze_count + 1);  // the person's only
  daemon_test::drop_own_table(qualified(table));
}
