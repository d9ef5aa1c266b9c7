// L1 auto-apply and verification, end to end: the daemon as a child process (`run --once`)
// on the sandbox. Off (the default), with no kinds listed, outside its window or over its size
// cap, it never creates anything; on, it builds the recommended index CONCURRENTLY, marks it
// applied, and verifies it once the workload has run again; two daemons racing on one target
// build it once.
//
// The tables are created as the daemon's role (the owner of pgadvisor_test) so that it may
// create the index; the workload runs as the superuser, because the sampler leaves the
// daemon's own statements out. Each case has a table of its own, so a case's statements never
// show up in another case's windows.

#include <algorithm>
#include <ctime>

#include "connectors/store/recommendation_store.hpp"
#include "tests/integration/advisor/test_daemon_support.hpp"

using namespace std::chrono_literals;

namespace {

const std::string schema = "autoapply_it";

std::string qualified(const std::string& table) { return schema + "." + table; }

void make_table(const std::string& table) { daemon_test::make_account_table(schema, qualified(table)); }

void burst(const std::string& table, int calls = 15) { daemon_test::account_burst(qualified(table), calls); }

//! Every relation of the test schema with its kind, and every index with its definition and
//! validity: what "nothing was created" compares.
std::string catalog_snapshot()
{
  std::string text;
  for (const auto& row : sandbox::admin("SELECT c.relname, c.relkind, coalesce(pg_get_indexdef(i.indexrelid), ''),"
                                        " coalesce(i.indisvalid::text, '')"
                                        " FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid"
                                        " WHERE c.relnamespace = '" + schema + "'::regnamespace ORDER BY 1"))
    text += std::string(row[0].c_str()) + " " + row[1].c_str() + " " + row[2].c_str() + " " + row[3].c_str() + "\n";
  return text;
}

struct IndexOnAccount {
  std::string name;
  std::string definition;
  bool valid = false;
};

//! The indexes of `table` whose key is the account column (valid or not).
std::vector<IndexOnAccount> account_indexes(const std::string& table)
{
  std::vector<IndexOnAccount> out;
  for (const auto& row : sandbox::admin("SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid"
                                        " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                                        " WHERE i.indrelid = '" + qualified(table) + "'::regclass"
                                        " AND pg_get_indexdef(i.indexrelid) LIKE '%(account%' ORDER BY 1"))
    out.push_back({row[0].c_str(), row[1].c_str(), row[2].as<bool>()});
  return out;
}

std::size_t invalid_indexes(const std::string& table) { return daemon_test::invalid_indexes(qualified(table)); }

std::string auto_apply_section(const std::string& body) { return "\n[auto_apply]\n" + body; }

// CREATE INDEX CONCURRENTLY waits, under [auto_apply] lock_timeout, for every transaction of
// the database with an older snapshot, and other tests on the shared sandbox hold some: the
// 5 s default is what keeps them from cancelling the build; said here so no test lowers it.
const std::vector<std::string> build_patience{"--set", "auto_apply.lock_timeout=5s"};

//! The stored create_index recommendation on `table` (account), or nullopt.
std::optional<connectors::store::StoredRecommendation> stored_recommendation(const std::string& state,
                                                                             const std::string& table)
{
  return daemon_test::find_stored(state, [&](const auto& r) {
    return r.kind == "create_index" && r.statement.find(qualified(table) + " (account") != std::string::npos;
  });
}

//! The recommendation on `table` in the JSON file, or null.
nlohmann::json recommendation_in_file(const std::string& path, const std::string& table)
{
  return daemon_test::find_in_file(path, [&](const auto& r) {
    return r["statement"].template get<std::string>().find(qualified(table) + " (account") != std::string::npos;
  });
}

//! A window of one hour starting two hours from now (local time, the daemon's TZ too).
std::string window_excluding_now()
{
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  const int minute = tm.tm_hour * 60 + tm.tm_min;
  auto clock = [](int m) {
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", (m / 60) % 24, m % 60);
    return std::string(text);
  };
  return clock((minute + 120) % 1440) + "-" + clock((minute + 180) % 1440);
}

//! Baseline, burst, the filing cycle: the recommendation on `table` must then be stored.
void file_it(const std::string& table, const std::string& config, const daemon_test::ScratchDir& dir,
             const std::vector<std::string>& extra = {})
{
  burst(table, 2);  // the statement exists before the baseline: its next calls are a delta
  daemon_test::run_once(config, dir.file("baseline.log"), extra);
  burst(table);
  daemon_test::run_once(config, dir.file("filing.log"), extra);
}

//! What every "auto-apply must not act" case checks after the filing cycle; `reasons` (when not
//! empty) are the decisions the filing cycle's log may give for the recommendation (one of them).
void check_nothing_applied(const std::string& table, const std::string& before, const daemon_test::ScratchDir& dir,
                           const std::vector<std::string>& reasons = {})
{
  const auto recommendation = stored_recommendation(dir.file("state.db"), table);
  INFO(daemon_test::read_all(dir.file("filing.log")));
  REQUIRE(recommendation);
  CHECK(recommendation->status == "open");
  CHECK_FALSE(recommendation->applied_at);
  CHECK(catalog_snapshot() == before);
  CHECK(account_indexes(table).empty());
  const auto events = daemon_test::store_events(dir.file("state.db"));
  INFO(daemon_test::describe_events(events));
  // The only apply step a refusal leaves is its apply.refused event (once per reason).
  for (const auto& e : events) {
    CHECK((e.kind.rfind("apply.", 0) != 0 || e.kind == "apply.refused"));
    CHECK(e.kind != "recommendation_applied");
  }
  const auto log = daemon_test::read_all(dir.file("filing.log"));
  if (reasons.empty()) {
    CHECK(log.find("not auto-applied") == std::string::npos);  // off: not even considered
    CHECK(daemon_test::count_events(events, "apply.refused") == 0);
    return;
  }
  const auto given = std::count_if(reasons.begin(), reasons.end(), [&](const std::string& reason) {
    return log.find("not auto-applied: " + recommendation->id + " (" + reason) != std::string::npos;
  });
  CHECK(given == 1);
  CHECK(daemon_test::count_events(events, "apply.refused", recommendation->id) == 1);
}

}  // namespace

TEST_CASE("auto-apply: off by default, several cycles create nothing on the server", "[integration][daemon]")
{
  const std::string table = "off_events";
  make_table(table);
  const auto before = catalog_snapshot();
  daemon_test::ScratchDir dir("autoapply-off");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, daemon_test::config_text(dir));

  file_it(table, config, dir);
  for (int cycle = 0; cycle < 2; ++cycle) {
    burst(table);
    daemon_test::run_once(config, dir.file("cycle" + std::to_string(cycle) + ".log"));
  }
  check_nothing_applied(table, before, dir);
  const auto filed = recommendation_in_file(dir.file("recommendations.json"), table);
  REQUIRE_FALSE(filed.is_null());
  CHECK(filed["status"] == "open");
  daemon_test::drop_own_table(qualified(table));
}

TEST_CASE("auto-apply: enabled without kinds creates nothing", "[integration][daemon]")
{
  const std::string table = "kinds_events";
  make_table(table);
  const auto before = catalog_snapshot();
  daemon_test::ScratchDir dir("autoapply-kinds");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, daemon_test::config_text(dir) + auto_apply_section("enabled = on\n"));

  file_it(table, config, dir);
  check_nothing_applied(table, before, dir, {"create_index is not in [auto_apply] kinds"});
  daemon_test::drop_own_table(qualified(table));
}

TEST_CASE("auto-apply: enabled outside its window creates nothing", "[integration][daemon]")
{
  const std::string table = "window_events";
  make_table(table);
  const auto before = catalog_snapshot();
  daemon_test::ScratchDir dir("autoapply-window");
  const auto config = dir.file("pgadvisor.conf");
  const auto window = window_excluding_now();
  INFO("window " << window);
  daemon_test::write_file(config, daemon_test::config_text(dir) +
                                      auto_apply_section("enabled = on\nkinds = create_index\nwindow = " + window + "\n"));

  file_it(table, config, dir);
  check_nothing_applied(table, before, dir, {"now ("});
  CHECK(daemon_test::read_all(dir.file("filing.log")).find("is outside the window " + window) != std::string::npos);
  daemon_test::drop_own_table(qualified(table));
}

TEST_CASE("auto-apply: an index over max_index_bytes is not created", "[integration][daemon]")
{
  const std::string table = "cap_events";
  make_table(table);
  const auto before = catalog_snapshot();
  daemon_test::ScratchDir dir("autoapply-cap");
  const auto config = dir.file("pgadvisor.conf");
  // The index on account would take about 7.5 MB. Triage rates an index that large for the cap
  // medium risk, which L1 refuses before it compares sizes: either refusal will do.
  daemon_test::write_file(config, daemon_test::config_text(dir) +
                                      auto_apply_section("enabled = on\nkinds = create_index\nmax_index_bytes = 1M\n"));

  file_it(table, config, dir);
  check_nothing_applied(table, before, dir, {"the index (", "risk medium is above low"});
  daemon_test::drop_own_table(qualified(table));
}

TEST_CASE("auto-apply: the index is built CONCURRENTLY, marked applied, then verified", "[integration][daemon]")
{
  const std::string table = "on_events";
  make_table(table);
  daemon_test::ScratchDir dir("autoapply-on");
  const auto config = dir.file("pgadvisor.conf");
  const auto state = dir.file("state.db");
  daemon_test::write_file(config, daemon_test::config_text(dir) +
                                      auto_apply_section("enabled = on\nkinds = create_index\n"));
  std::vector<std::string> quick{"--set", "verification.min_calls=10"};
  quick.insert(quick.end(), build_patience.begin(), build_patience.end());

  const double started = static_cast<double>(std::time(nullptr));
  file_it(table, config, dir, quick);
  INFO(daemon_test::read_all(dir.file("filing.log")));
  const auto events = daemon_test::store_events(state);
  INFO(daemon_test::describe_events(events));

  // Built by the filing cycle, valid (a CONCURRENTLY build that failed leaves it INVALID).
  const auto indexes = account_indexes(table);
  REQUIRE(indexes.size() == 1);
  CHECK(indexes[0].valid);
  CHECK(invalid_indexes(table) == 0);
  for (const char* kind : {"apply.locked", "apply.build_started", "apply.created", "apply.unlocked"})
    CHECK(daemon_test::count_events(events, kind) >= 1);
  CHECK(daemon_test::count_events(events, "apply.created", indexes[0].name) == 1);
  CHECK(daemon_test::count_events(events, "apply.build_started", "CONCURRENTLY") == 1);
  CHECK(daemon_test::count_events(events, "apply.build_failed", table) == 0);
  CHECK(daemon_test::count_events(events, "recommendation_applied") == 1);

  auto applied = stored_recommendation(state, table);
  REQUIRE(applied);
  CHECK(applied->status == "applied");
  REQUIRE(applied->applied_at);
  CHECK(*applied->applied_at >= started);
  CHECK(*applied->applied_at <= static_cast<double>(std::time(nullptr)) + 1);
  // The statement it ran is the recommended one: same index name.
  CHECK(applied->statement.find(indexes[0].name) != std::string::npos);
  CHECK(applied->statement.find("CONCURRENTLY") != std::string::npos);

  // The workload runs again with the index; verification needs 10 calls after the change.
  // One cycle should do (15 calls after ≥ 10).
  daemon_test::cycle_until_judged(
      config, dir, quick, [&] { burst(table); },
      [&] {
        const auto now = stored_recommendation(state, table);
        REQUIRE(now);
        return now->status;
      });
  const auto verified = stored_recommendation(state, table);
  REQUIRE(verified);
  INFO(daemon_test::describe_windows(state, *verified));
  REQUIRE(verified->status == "verified");
  auto numbers = nlohmann::json::parse(verified->verification, nullptr, false);
  REQUIRE(numbers.is_object());
  CHECK(numbers["mean_before_ms"].get<double>() > numbers["mean_after_ms"].get<double>());
  CHECK(numbers["mean_after_ms"].get<double>() >= 0);
  CHECK(daemon_test::count_events(daemon_test::store_events(state), "recommendation_verified", verified->id) == 1);

  const auto filed = recommendation_in_file(dir.file("recommendations.json"), table);
  REQUIRE_FALSE(filed.is_null());
  CHECK(filed["status"] == "verified");
  REQUIRE(filed["verification"].is_object());
  CHECK(filed["verification"]["mean_before_ms"].get<double>() > filed["verification"]["mean_after_ms"].get<double>());
  // Still one index: verification never builds again.
  CHECK(account_indexes(table).size() == 1);
  daemon_test::check_store_whole(state);
  daemon_test::drop_own_table(qualified(table));
}

TEST_CASE("auto-apply: two daemons racing on one target build the index once", "[integration][daemon]")
{
  const std::string table = "race_events";
  make_table(table);
  daemon_test::ScratchDir first_dir("autoapply-race-a");
  daemon_test::ScratchDir second_dir("autoapply-race-b");
  const std::string section = auto_apply_section("enabled = on\nkinds = create_index\n");
  const auto first_config = first_dir.file("pgadvisor.conf");
  const auto second_config = second_dir.file("pgadvisor.conf");
  daemon_test::write_file(first_config, daemon_test::config_text(first_dir) + section);
  daemon_test::write_file(second_config, daemon_test::config_text(second_dir) + section);

  burst(table, 2);
  daemon_test::run_once(first_config, first_dir.file("baseline.log"));
  daemon_test::run_once(second_config, second_dir.file("baseline.log"));
  burst(table);
  std::optional<int> first_exit;
  std::optional<int> second_exit;
  {
    std::vector<std::string> first_args{"run", "--config", first_config, "--once"};
    std::vector<std::string> second_args{"run", "--config", second_config, "--once"};
    first_args.insert(first_args.end(), build_patience.begin(), build_patience.end());
    second_args.insert(second_args.end(), build_patience.begin(), build_patience.end());
    daemon_test::Process first(first_args, {}, first_dir.file("race.log"));
    daemon_test::Process second(second_args, {}, second_dir.file("race.log"));
    first_exit = first.wait(60s);
    second_exit = second.wait(60s);
  }
  INFO(daemon_test::read_all(first_dir.file("race.log")));
  INFO(daemon_test::read_all(second_dir.file("race.log")));
  CHECK(first_exit.value_or(-1000) == 0);  // -1000: still running after 60 s
  CHECK(second_exit.value_or(-1000) == 0);

  const auto first_events = daemon_test::store_events(first_dir.file("state.db"));
  const auto second_events = daemon_test::store_events(second_dir.file("state.db"));
  INFO(daemon_test::describe_events(first_events) << "---\n" << daemon_test::describe_events(second_events));
  const auto indexes = account_indexes(table);
  REQUIRE(indexes.size() == 1);
  CHECK(indexes[0].valid);
  CHECK(invalid_indexes(table) == 0);
  // One daemon built it; the other found the lock taken or the index there, or filed nothing.
  CHECK(daemon_test::count_events(first_events, "apply.created", indexes[0].name) +
            daemon_test::count_events(second_events, "apply.created", indexes[0].name) ==
        1);
  CHECK(daemon_test::count_events(first_events, "apply.build_started", indexes[0].name) +
            daemon_test::count_events(second_events, "apply.build_started", indexes[0].name) ==
        1);
  for (const auto* events : {&first_events, &second_events})
    for (const auto& e : *events) {
      CHECK(e.kind != "apply.build_failed");
      CHECK(e.kind != "apply.cleanup_failed");
    }
  // The loser, when it got as far as applying, saw the lock taken or the index built.
  std::size_t lost = 0;
  for (const auto* events : {&first_events, &second_events})
    lost += daemon_test::count_events(*events, "apply.busy") + daemon_test::count_events(*events, "apply.exists");
  CHECK(lost <= 1);
  daemon_test::drop_own_table(qualified(table));
}
