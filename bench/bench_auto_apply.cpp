// L1 auto-apply on the sandbox (issue 5): CREATE INDEX CONCURRENTLY time through the applier,
// two appliers racing (built once?), and what failed builds leave behind (a UNIQUE index on
// duplicates; a build cancelled by lock_timeout while another session writes). Works in its own
// database pgadvisor_bench_apply on the server of $PGADVISOR_TEST_DSN (key=value conninfo;
// created through $PGADVISOR_ADMIN_DSN) so other sessions' transactions do not delay the build,
// and drops its schema at the end. Usage: bench_auto_apply [rows] [race_rounds] (default 1000000 5).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <memory>
#include <string>
#include <thread>

#include <pqxx/pqxx>

#include "connectors/postgres/index_applier.hpp"
#include "connectors/postgres/session.hpp"

namespace {

const std::string k_schema = "bench_auto_apply";
const std::string k_ddl = "CREATE INDEX CONCURRENTLY items_account_idx ON " + k_schema + ".items (account)";

const std::string k_database = "pgadvisor_bench_apply";

//! The DSN in the environment, pointed at k_database (libpq takes the last dbname given).
std::string env(const char* name)
{
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    std::fprintf(stderr, "%s is not set: source .sandbox/env\n", name);
    std::exit(2);
  }
  return std::string(value) + " dbname=" + k_database;
}

void create_database()
{
  pqxx::connection conn(std::getenv("PGADVISOR_ADMIN_DSN"));
  pqxx::nontransaction txn(conn);
  if (txn.exec("SELECT 1 FROM pg_database WHERE datname = " + txn.quote(k_database)).empty())
    txn.exec0("CREATE DATABASE " + k_database + " OWNER advisor");
}

void admin_exec(const std::string& sql)
{
  pqxx::connection conn(env("PGADVISOR_ADMIN_DSN"));
  pqxx::nontransaction txn(conn);
  txn.exec(sql);
}

long long admin_count(const std::string& sql)
{
  pqxx::connection conn(env("PGADVISOR_ADMIN_DSN"));
  pqxx::nontransaction txn(conn);
  return txn.exec1(sql)[0].as<long long>();
}

long long invalid_left()
{
  return admin_count("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n "
                     "ON n.oid = c.relnamespace WHERE n.nspname = '" + k_schema + "' AND NOT i.indisvalid");
}

long long account_indexes()
{
  return admin_count("SELECT count(*) FROM pg_index WHERE indrelid = '" + k_schema + ".items'::regclass AND indkey::text = "
                     "(SELECT attnum::text FROM pg_attribute WHERE attrelid = '" + k_schema +
                     ".items'::regclass AND attname = 'account')");
}

std::unique_ptr<connectors::pg::Session> session()
{
  auto result = connectors::pg::Session::connect(env("PGADVISOR_TEST_DSN"));
  if (!result) {
    std::fprintf(stderr, "cannot connect: %s\n", result.error().message.c_str());
    std::exit(1);
  }
  return std::move(result.value());
}

double ms_since(std::chrono::steady_clock::time_point start)
{
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv)
{
  using connectors::pg::ApplyStatus;
  const long rows = argc > 1 ? std::atol(argv[1]) : 1000000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  env("PGADVISOR_ADMIN_DSN");  // exits with a message when unset
  create_database();
  admin_exec("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + k_schema + " CASCADE; CREATE SCHEMA " +
             k_schema + " AUTHORIZATION advisor; SET ROLE advisor; CREATE TABLE " + k_schema +
             ".items (id int PRIMARY KEY, account int NOT NULL, code int NOT NULL, note text); INSERT INTO " + k_schema +
             ".items SELECT g, g % 50000, g % 10, repeat('x', 40) FROM generate_series(1, " + std::to_string(rows) +
             ") g; ANALYZE " + k_schema + ".items;");
  std::printf("table: %ld rows\n", rows);

  auto s = session();
  auto start = std::chrono::steady_clock::now();
  auto built = connectors::pg::apply_index(*s, k_ddl);
  std::printf("build: %s in %.0f ms (CREATE INDEX CONCURRENTLY %.0f ms), %zu events\n",
              built ? connectors::pg::to_string(built->status) : built.error().message.c_str(), ms_since(start),
              built ? built->build_ms : 0.0, built ? built->events.size() : 0);
  start = std::chrono::steady_clock::now();
  auto again = connectors::pg::apply_index(*s, k_ddl);
  std::printf("re-apply: %s in %.1f ms\n", again ? connectors::pg::to_string(again->status) : "error", ms_since(start));

  int once = 0;
  int busy = 0;
  for (int round = 0; round < rounds; ++round) {
    admin_exec("DROP INDEX IF EXISTS " + k_schema + ".items_account_idx");
    auto a = session();
    auto b = session();
    std::latch go(2);
    int created = 0;
    ApplyStatus sa = ApplyStatus::failed;
    ApplyStatus sb = ApplyStatus::failed;
    std::thread ta([&] { go.arrive_and_wait(); auto r = connectors::pg::apply_index(*a, k_ddl); if (r) sa = r->status; });
    std::thread tb([&] { go.arrive_and_wait(); auto r = connectors::pg::apply_index(*b, k_ddl); if (r) sb = r->status; });
    ta.join();
    tb.join();
    created = (sa == ApplyStatus::created) + (sb == ApplyStatus::created);
    busy += (sa == ApplyStatus::busy) + (sb == ApplyStatus::busy);
    once += created == 1 && account_indexes() == 1;
  }
  std::printf("race: two appliers, built exactly once in %d of %d rounds (%d lost the advisory lock)\n", once, rounds,
              busy);

  start = std::chrono::steady_clock::now();
  auto unique = connectors::pg::apply_index(
      *s, "CREATE UNIQUE INDEX CONCURRENTLY items_code_key ON " + k_schema + ".items (code)");
  std::printf("unique on duplicates: %s in %.0f ms, INVALID indexes left: %lld\n",
              unique ? connectors::pg::to_string(unique->status) : "error", ms_since(start), invalid_left());

  admin_exec("DROP INDEX IF EXISTS " + k_schema + ".items_account_idx");
  pqxx::connection holder(env("PGADVISOR_ADMIN_DSN"));
  auto writer = std::make_unique<pqxx::work>(holder);
  writer->exec0("INSERT INTO " + k_schema + ".items VALUES (-1, 1, 1, 'held')");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    writer->abort();
  });
  connectors::pg::ApplyOptions options;
  options.lock_timeout_ms = 200;
  options.cleanup_backoff_ms = 200;
  start = std::chrono::steady_clock::now();
  auto cancelled = connectors::pg::apply_index(*s, k_ddl, options);
  release.join();
  std::printf("cancelled by lock_timeout (writer open 1 s): %s in %.0f ms, INVALID indexes left: %lld\n",
              cancelled ? connectors::pg::to_string(cancelled->status) : "error", ms_since(start), invalid_left());

  admin_exec("SET client_min_messages = warning; DROP SCHEMA " + k_schema + " CASCADE");
  return 0;
}
