#include <algorithm>
#include <chrono>
#include <latch>
#include <thread>

#include "connectors/postgres/index_applier.hpp"
#include "tests/integration/connectors/sandbox.hpp"
#include "tests/support/catch.hpp"

using connectors::pg::apply_index;
using connectors::pg::ApplyOptions;
using connectors::pg::ApplyOutcome;
using connectors::pg::ApplyStatus;

namespace {

const std::string k_schema = "conn_test_apply";
// A database of its own: CREATE INDEX CONCURRENTLY waits for every older transaction in its
// database, and other tests keep pgadvisor_test busy; their waits are not what is tested here.
const std::string k_database = "pgadvisor_test_apply";

//! `dsn` (key=value form) pointed at k_database: libpq takes the last dbname given.
std::string in_apply_database(const std::string& dsn)
{
  if (dsn.find("://") != std::string::npos)
    FAIL("the sandbox DSNs must be key=value conninfo strings for this test");
  return dsn + " dbname=" + k_database;
}

std::unique_ptr<pqxx::connection> admin()
{
  try {
    return std::make_unique<pqxx::connection>(in_apply_database(sandbox::admin_dsn()));
  } catch (const std::exception& e) {
    FAIL(std::string("sandbox unreachable as admin: ") + e.what());
  }
  return nullptr;
}

std::unique_ptr<connectors::pg::Session> session()
{
  auto result = connectors::pg::Session::connect(in_apply_database(sandbox::test_dsn()));
  if (!result)
    FAIL("sandbox unreachable: " + result.error().message);
  return std::move(result.value());
}

void admin_exec(const std::string& sql)
{
  auto conn = admin();
  pqxx::work txn(*conn);
  txn.exec(sql);
  txn.commit();
}

void create_fixture(int rows)
{
  {
    auto postgres = sandbox::admin();
    pqxx::nontransaction txn(*postgres);
    if (txn.exec("SELECT 1 FROM pg_database WHERE datname = '" + k_database + "'").empty())
      txn.exec0("CREATE DATABASE " + k_database + " OWNER advisor");
  }
  // sandbox::require_clean() reads hypopg(): the extension must exist here too.
  admin_exec("SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS hypopg; DROP SCHEMA IF EXISTS " + k_schema + " CASCADE; CREATE SCHEMA " +
             k_schema + " AUTHORIZATION advisor;");
  admin_exec("SET ROLE advisor; CREATE TABLE " + k_schema +
             ".items (id int PRIMARY KEY, account int NOT NULL, code int NOT NULL, note text);"
             "INSERT INTO " + k_schema + ".items SELECT g, g % 5000, g % 10, repeat('x', 40) "
             "FROM generate_series(1, " + std::to_string(rows) + ") AS g; ANALYZE " + k_schema + ".items;");
}

long long indexes_named(const std::string& name)
{
  auto admin = ::admin();
  return sandbox::count(*admin, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                "WHERE n.nspname = '" + k_schema + "' AND c.relname = '" + name + "'");
}

long long invalid_indexes()
{
  auto admin = ::admin();
  return sandbox::count(*admin, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + k_schema +
                                "' AND NOT (i.indisvalid AND i.indisready)");
}

//! Indexes on items whose key is exactly (account): the built ones, whatever their names.
long long account_indexes()
{
  auto admin = ::admin();
  return sandbox::count(*admin, "SELECT count(*) FROM pg_index WHERE indrelid = '" + k_schema +
                                ".items'::regclass AND indkey::text = (SELECT attnum::text FROM pg_attribute "
                                "WHERE attrelid = '" + k_schema + ".items'::regclass AND attname = 'account')");
}

std::string describe(const model::Result<ApplyOutcome>& result)
{
  if (!result)
    return "error: " + result.error().message;
  std::string out = std::string("status ") + connectors::pg::to_string(result->status);
  for (const auto& event : result->events)
    out += "\n  " + event.kind + ": " + event.message;
  return out;
}

bool has_event(const ApplyOutcome& outcome, const std::string& kind)
{
  return std::any_of(outcome.events.begin(), outcome.events.end(),
                     [&](const auto& event) { return event.kind == kind; });
}

const std::string k_account_ddl = "CREATE INDEX CONCURRENTLY items_account_idx ON " + k_schema + ".items (account)";

}  // namespace

TEST_CASE("apply: CREATE INDEX CONCURRENTLY builds a valid index, then finds it", "[index_applier]")
{
  create_fixture(20000);
  auto session = ::session();
  auto outcome = apply_index(*session, k_account_ddl);
  INFO(describe(outcome));
  REQUIRE(outcome.ok());
  CHECK(outcome->status == ApplyStatus::created);
  CHECK(has_event(*outcome, "apply.locked"));
  CHECK(has_event(*outcome, "apply.build_started"));
  CHECK(has_event(*outcome, "apply.created"));
  CHECK(has_event(*outcome, "apply.unlocked"));
  CHECK(indexes_named("items_account_idx") == 1);
  CHECK(invalid_indexes() == 0);
  sandbox::require_clean(*session);
  // The session's own limits are back after the build.
  {
    pqxx::nontransaction txn(session->conn());
    CHECK(txn.exec1("SHOW lock_timeout")[0].as<std::string>() == "2s");
  }

  // Again, and under another name: an equivalent valid index exists, nothing is built.
  auto again = apply_index(*session, k_account_ddl);
  INFO(describe(again));
  REQUIRE(again.ok());
  CHECK(again->status == ApplyStatus::already_exists);
  auto renamed = apply_index(*session, "CREATE INDEX CONCURRENTLY other_name ON " + k_schema + ".items (account)");
  INFO(describe(renamed));
  REQUIRE(renamed.ok());
  CHECK(renamed->status == ApplyStatus::already_exists);
  CHECK(indexes_named("other_name") == 0);
  CHECK(account_indexes() == 1);
}

TEST_CASE("apply: a UNIQUE index on duplicate data leaves no INVALID index", "[index_applier]")
{
  create_fixture(20000);
  auto session = ::session();
  auto outcome = apply_index(*session, "CREATE UNIQUE INDEX CONCURRENTLY items_code_key ON " + k_schema + ".items (code)");
  INFO(describe(outcome));
  REQUIRE(outcome.ok());
  CHECK(outcome->status == ApplyStatus::failed);
  CHECK(outcome->error.find("could not create unique index") != std::string::npos);
  CHECK(has_event(*outcome, "apply.build_failed"));
  CHECK(has_event(*outcome, "apply.cleaned_up"));  // the build had left an INVALID index
  CHECK(indexes_named("items_code_key") == 0);
  CHECK(invalid_indexes() == 0);
  sandbox::require_clean(*session);
}

TEST_CASE("apply: a build cancelled by lock_timeout leaves no INVALID index", "[index_applier]")
{
  create_fixture(20000);
  // Another session writes to the table in an open transaction: the build gets its own lock,
  // creates the index entry, then waits for that writer and hits lock_timeout.
  auto session = ::session();  // connect first: a FAIL here must not strand the thread
  auto holder = ::admin();
  auto writer = std::make_unique<pqxx::work>(*holder);
  writer->exec0("INSERT INTO " + k_schema + ".items VALUES (-1, 1, 1, 'held')");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    writer->abort();
  });
  ApplyOptions options;
  options.lock_timeout_ms = 300;
  options.cleanup_attempts = 8;
  options.cleanup_backoff_ms = 200;
  auto outcome = apply_index(*session, k_account_ddl, options);
  release.join();  // apply_index returns errors as values: nothing throws past the join
  INFO(describe(outcome));
  REQUIRE(outcome.ok());
  CHECK(outcome->status == ApplyStatus::failed);
  CHECK(outcome->error.find("lock timeout") != std::string::npos);
  CHECK(has_event(*outcome, "apply.cleaned_up"));
  CHECK(indexes_named("items_account_idx") == 0);
  CHECK(invalid_indexes() == 0);
  sandbox::require_clean(*session);

  // With the writer gone, the same recommendation builds.
  auto retry = apply_index(*session, k_account_ddl, options);
  INFO(describe(retry));
  REQUIRE(retry.ok());
  CHECK(retry->status == ApplyStatus::created);
}

TEST_CASE("apply: a leftover INVALID index of the same name is dropped before the build", "[index_applier]")
{
  create_fixture(20000);
  // A failed unique build leaves an INVALID index behind when nobody cleans up.
  {
    auto admin = ::admin();
    pqxx::nontransaction txn(*admin);
    try {
      txn.exec0("CREATE UNIQUE INDEX CONCURRENTLY items_account_idx ON " + k_schema + ".items (account)");
    } catch (const std::exception&) {
    }
  }
  REQUIRE(invalid_indexes() == 1);
  auto session = ::session();
  auto outcome = apply_index(*session, k_account_ddl);
  INFO(describe(outcome));
  REQUIRE(outcome.ok());
  CHECK(has_event(*outcome, "apply.leftover"));
  CHECK(outcome->status == ApplyStatus::created);
  CHECK(invalid_indexes() == 0);
  CHECK(account_indexes() == 1);
}

TEST_CASE("apply: an applier that finds the advisory lock taken builds nothing", "[index_applier]")
{
  create_fixture(5000);
  auto other = ::admin();
  const auto key = connectors::pg::advisory_key(k_database, "\"" + k_schema + "\".\"items_account_idx\"");
  {
    pqxx::nontransaction txn(*other);
    REQUIRE(txn.exec1("SELECT current_database()")[0].as<std::string>() == k_database);
    REQUIRE(txn.exec1("SELECT pg_try_advisory_lock(" + std::to_string(key) + ")")[0].as<bool>());
  }
  auto session = ::session();
  auto outcome = apply_index(*session, k_account_ddl);
  INFO(describe(outcome));
  REQUIRE(outcome.ok());
  CHECK(outcome->status == ApplyStatus::busy);
  CHECK(outcome->index == "\"" + k_schema + "\".\"items_account_idx\"");
  CHECK(account_indexes() == 0);
}

TEST_CASE("apply: two appliers racing on one target build the index once", "[index_applier]")
{
  create_fixture(300000);
  for (int round = 0; round < 3; ++round) {
    admin_exec("DROP INDEX IF EXISTS " + k_schema + ".items_account_idx");
    auto first = ::session();
    auto second = ::session();
    std::latch start(2);
    model::Result<ApplyOutcome> a = model::make_error(model::ErrorKind::internal, "not run");
    model::Result<ApplyOutcome> b = model::make_error(model::ErrorKind::internal, "not run");
    std::thread ta([&] { start.arrive_and_wait(); a = apply_index(*first, k_account_ddl); });
    std::thread tb([&] { start.arrive_and_wait(); b = apply_index(*second, k_account_ddl); });
    ta.join();
    tb.join();
    INFO(describe(a));
    REQUIRE(a.ok());
    INFO(describe(b));
    REQUIRE(b.ok());
    const int created = (a->status == ApplyStatus::created) + (b->status == ApplyStatus::created);
    const int deferred = (a->status == ApplyStatus::busy || a->status == ApplyStatus::already_exists) +
                         (b->status == ApplyStatus::busy || b->status == ApplyStatus::already_exists);
    CHECK(created == 1);
    CHECK(deferred == 1);
    CHECK(account_indexes() == 1);
    CHECK(invalid_indexes() == 0);
  }
}

TEST_CASE("apply: bad statements are refused before anything runs", "[index_applier]")
{
  create_fixture(100);
  auto session = ::session();
  auto blocking = apply_index(*session, "CREATE INDEX items_account_idx ON " + k_schema + ".items (account)");
  REQUIRE_FALSE(blocking.ok());
  CHECK(blocking.error().kind == model::ErrorKind::refused);
  auto unnamed = apply_index(*session, "CREATE INDEX CONCURRENTLY ON " + k_schema + ".items (account)");
  REQUIRE_FALSE(unnamed.ok());
  CHECK(unnamed.error().kind == model::ErrorKind::refused);
  auto other = apply_index(*session, "DROP TABLE " + k_schema + ".items");
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().kind == model::ErrorKind::invalid_input);
  auto garbage = apply_index(*session, "CREATE INDEX CONCURRENTLY x ON (");
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().kind == model::ErrorKind::invalid_input);
  auto missing = apply_index(*session, "CREATE INDEX CONCURRENTLY x_idx ON " + k_schema + ".missing (a)");
  INFO(describe(missing));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == model::ErrorKind::not_found);
  CHECK(account_indexes() == 0);
  CHECK(sandbox::count(*::admin(), "SELECT count(*) FROM " + k_schema + ".items") == 100);
  sandbox::require_clean(*session);
}

TEST_CASE("apply: ANALYZE of a table refreshes its statistics", "[index_applier]")
{
  create_fixture(1000);
  admin_exec("INSERT INTO " + k_schema + ".items SELECT g, 1, 1, 'y' FROM generate_series(1001, 3000) g");
  auto session = ::session();
  auto outcome = connectors::pg::apply_analyze(*session, k_schema, "items");
  INFO(describe(outcome));
  REQUIRE(outcome.ok());
  CHECK(outcome->status == ApplyStatus::created);
  CHECK(has_event(*outcome, "apply.analyzed"));
  auto admin = ::admin();
  CHECK(sandbox::count(*admin, "SELECT reltuples::bigint FROM pg_class WHERE oid = '" + k_schema + ".items'::regclass") == 3000);
  sandbox::require_clean(*session);
}

TEST_CASE("apply: equivalence ignores names and CONCURRENTLY, not columns, method or uniqueness", "[index_applier]")
{
  using connectors::pg::equivalent_index;
  const std::string wanted = "CREATE INDEX CONCURRENTLY a_idx ON s.t (a, b) INCLUDE (c) WHERE (d > 1)";
  CHECK(equivalent_index(wanted, "CREATE INDEX other ON s.t USING btree (a, b) INCLUDE (c) WHERE (d > 1)"));
  CHECK(equivalent_index(wanted, "CREATE UNIQUE INDEX other ON s.t USING btree (a, b) INCLUDE (c) WHERE (d > 1)"));
  CHECK_FALSE(equivalent_index(wanted, "CREATE INDEX other ON s.t USING btree (b, a) INCLUDE (c) WHERE (d > 1)"));
  CHECK_FALSE(equivalent_index(wanted, "CREATE INDEX other ON s.t USING btree (a, b) WHERE (d > 1)"));
  CHECK_FALSE(equivalent_index(wanted, "CREATE INDEX other ON s.t USING btree (a, b) INCLUDE (c)"));
  CHECK_FALSE(equivalent_index(wanted, "CREATE INDEX other ON s.t USING hash (a, b) INCLUDE (c) WHERE (d > 1)"));
  CHECK_FALSE(equivalent_index("CREATE UNIQUE INDEX CONCURRENTLY u ON s.t (a)", "CREATE INDEX x ON s.t USING btree (a)"));
  CHECK_FALSE(equivalent_index("CREATE INDEX CONCURRENTLY d ON s.t (a DESC)", "CREATE INDEX x ON s.t USING btree (a)"));
  CHECK_FALSE(equivalent_index(wanted, "not sql"));

  auto read = connectors::pg::read_index_statement("CREATE UNIQUE INDEX CONCURRENTLY \"Odd Name\" ON s.\"T\" (a)");
  REQUIRE(read.ok());
  CHECK(read->name == "Odd Name");
  CHECK(read->schema == "s");
  CHECK(read->table == "T");
  CHECK(read->unique);
  CHECK(read->concurrently);
  CHECK(connectors::pg::advisory_key("db", "\"s\".\"i\"") == connectors::pg::advisory_key("db", "\"s\".\"i\""));
  CHECK(connectors::pg::advisory_key("db", "\"s\".\"i\"") != connectors::pg::advisory_key("db2", "\"s\".\"i\""));
}

TEST_CASE("apply: a build cancelled by statement_timeout leaves no INVALID index", "[index_applier]")
{
  create_fixture(300000);
  auto session = ::session();
  ApplyOptions options;
  options.build_timeout_ms = 20;  // far below the build's time on 300,000 rows
  auto outcome = apply_index(*session, "CREATE INDEX CONCURRENTLY items_note_idx ON " + k_schema + ".items (note, code)",
                             options);
  INFO(describe(outcome));
  REQUIRE(outcome.ok());
  CHECK(outcome->status == ApplyStatus::failed);
  CHECK(outcome->error.find("statement timeout") != std::string::npos);
  CHECK(indexes_named("items_note_idx") == 0);
  CHECK(invalid_indexes() == 0);
  sandbox::require_clean(*session);
  pqxx::nontransaction txn(session->conn());
  CHECK(txn.exec1("SHOW statement_timeout")[0].as<std::string>() == "30s");  // the session's own again
}
