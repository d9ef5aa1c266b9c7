#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <thread>

#include <unistd.h>

#include "connectors/postgres/stats_sampler.hpp"
#include "tests/integration/connectors/sandbox.hpp"
#include "tests/support/catch.hpp"

using connectors::pg::Session;
using connectors::pg::StatsSampler;

namespace {

//! Runs a shell command; FAILs with its output when it does not exit 0.
void shell(const std::string& command)
{
  const std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr)
    output += buffer;
  const int status = pclose(pipe);
  INFO(command << "\n" << output);
  REQUIRE(status == 0);
}

//! A second, throwaway sandbox server (pg_stat_statements.max = 100) for what must not touch the
//! shared one: resets, evictions, restarts, locks. Started on first use, destroyed at exit.
class Throwaway {
public:
  static Throwaway& get()
  {
    static Throwaway instance;
    return instance;
  }

  ~Throwaway() { std::system((prefix() + " destroy >/dev/null 2>&1").c_str()); }

  //! As the advisor role over TCP, with this instance's password file.
  std::string test_dsn() const
  {
    return "host=127.0.0.1 port=" + m_env.at("PGADVISOR_SANDBOX_PORT") +
           " dbname=pgadvisor_test user=advisor passfile=" + m_dir + "/pgpass";
  }
  std::string admin_dsn() const
  {
    return "host=" + m_env.at("PGADVISOR_SANDBOX_SOCKET") + " port=" + m_env.at("PGADVISOR_SANDBOX_PORT") +
           " dbname=pgadvisor_test user=postgres";
  }
  void admin_exec(const std::string& sql) const
  {
    pqxx::connection conn(admin_dsn());
    pqxx::nontransaction txn(conn);
    txn.exec(sql);
  }
  //! pg_ctl restart -m immediate: a crash as far as the statistics are concerned.
  void restart_immediate() const
  {
    const auto data = m_env.at("PGADVISOR_SANDBOX_DATA");
    const auto data_root = data.substr(0, data.rfind('/'));
    const auto user = m_env.at("PGADVISOR_SANDBOX_USER");
    const std::string pg_ctl = "/usr/lib/postgresql/15/bin/pg_ctl -D " + data + " -l " + data_root +
                               "/postgres.log -m immediate -w -t 60 restart >/dev/null";
    shell(user == "root" || user.empty() ? pg_ctl : "runuser -u " + user + " -- " + pg_ctl);
  }

private:
  Throwaway()
  {
    std::system((prefix() + " destroy >/dev/null 2>&1").c_str());
    shell("PGADVISOR_SANDBOX_CONF='pg_stat_statements.max = 100' " + prefix() + " start");
    std::ifstream env(m_dir + "/env");
    std::string line;
    while (std::getline(env, line)) {
      const auto eq = line.find('=');
      if (line.rfind("export ", 0) != 0 || eq == std::string::npos)
        continue;
      auto value = line.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"')
        value = value.substr(1, value.size() - 2);
      m_env[line.substr(7, eq - 7)] = value;
    }
    REQUIRE(m_env.count("PGADVISOR_SANDBOX_PORT") == 1);
  }
  std::string prefix() const
  {
    return "PGADVISOR_SANDBOX_DIR=" + m_dir + " " + std::string(PGADVISOR_SOURCE_DIR) + "/scripts/pg-sandbox";
  }

  std::string m_dir = "/tmp/pgadvisor-test-stats-sampler";
  std::map<std::string, std::string> m_env;
};

std::unique_ptr<Session> connect(const std::string& dsn, connectors::pg::SessionSettings settings = {})
{
  auto session = Session::connect(dsn, settings);
  if (!session)
    FAIL("cannot connect: " + session.error().message);
  return std::move(session.value());
}

model::Sample sample_ok(StatsSampler& sampler, Session& session)
{
  auto sample = sampler.sample(session);
  if (!sample)
    FAIL("sample failed: " + sample.error().message);
  return std::move(sample.value());
}

const model::StatementText* text_containing(const model::Sample& sample, const std::string& needle)
{
  for (const auto& t : sample.new_texts)
    if (t.query.find(needle) != std::string::npos)
      return &t;
  return nullptr;
}

const model::StatementCounters* counters_of(const model::Sample& sample, const model::StatementKey& key)
{
  for (const auto& c : sample.statements)
    if (c.key == key)
      return &c;
  return nullptr;
}

void require_sane(const model::Sample& sample)
{
  for (const auto& c : sample.statements) {
    REQUIRE(c.calls >= 0);
    REQUIRE(c.total_exec_ms >= 0);
    REQUIRE(c.rows >= 0);
    REQUIRE(c.sum_sq_exec_ms >= 0);
    REQUIRE(c.key.userid != sample.own_userid);
  }
}

//! Runs `sql` `times` times as superuser on `dsn`.
void run_as_admin(const std::string& dsn, const std::string& sql, int times = 1)
{
  pqxx::connection conn(dsn);
  pqxx::nontransaction txn(conn);
  for (int i = 0; i < times; ++i)
    txn.exec(sql);
}

}  // namespace

TEST_CASE("stats sampler: column names map across PostgreSQL 13-17", "[sampler]")
{
  const auto v15 = connectors::pg::map_statement_columns(
      {"userid", "dbid", "toplevel", "queryid", "query", "plans", "total_plan_time", "calls", "total_exec_time",
       "mean_exec_time", "stddev_exec_time", "rows", "shared_blks_hit", "shared_blks_read", "shared_blks_dirtied",
       "shared_blks_written", "temp_blks_read", "temp_blks_written", "blk_read_time", "blk_write_time", "wal_bytes"});
  REQUIRE(v15);
  CHECK(v15->total_exec_time == "total_exec_time");
  CHECK(v15->blk_read_time == "blk_read_time");
  CHECK(v15->has_toplevel);
  CHECK(v15->stats_since.empty());
  const auto v12 = connectors::pg::map_statement_columns(
      {"userid", "dbid", "queryid", "query", "calls", "total_time", "mean_time", "stddev_time", "rows",
       "shared_blks_hit", "shared_blks_read", "shared_blks_dirtied", "shared_blks_written", "temp_blks_read",
       "temp_blks_written", "blk_read_time", "blk_write_time"});
  REQUIRE(v12);
  CHECK(v12->total_exec_time == "total_time");
  CHECK(v12->total_plan_time.empty());
  CHECK_FALSE(v12->has_toplevel);
  const auto query12 = connectors::pg::build_counters_query(*v12, "public");
  CHECK(query12.find("\"total_time\"::float8") != std::string::npos);
  CHECK(query12.find(", true, calls") != std::string::npos);
  CHECK(query12.rfind("/* pgadvisor */", 0) == 0);
  const auto v17 = connectors::pg::map_statement_columns(
      {"userid", "dbid", "toplevel", "queryid", "calls", "total_exec_time", "mean_exec_time", "stddev_exec_time",
       "rows", "shared_blks_hit", "shared_blks_read", "shared_blks_dirtied", "shared_blks_written", "temp_blks_read",
       "temp_blks_written", "shared_blk_read_time", "shared_blk_write_time", "local_blk_read_time", "wal_bytes",
       "stats_since", "minmax_stats_since"});
  REQUIRE(v17);
  CHECK(v17->blk_read_time == "shared_blk_read_time");
  CHECK(v17->stats_since == "stats_since");
  const auto broken = connectors::pg::map_statement_columns({"userid", "dbid", "queryid"});
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message == "pg_stat_statements has no column \"calls\"");
}

TEST_CASE("stats sampler: reads every view of the sandbox, texts once, own statements excluded", "[sampler]")
{
  // The shared sandbox keeps entries of earlier runs (same text, older table oid): this run's
  // statements get their own table name.
  const std::string probe_table = "probe_" + std::to_string(::getpid());
  // Constants are normalised away: the statements are told apart by their table names.
  sandbox::recreate_schema("i4b_sampler");
  sandbox::admin_exec("CREATE TABLE i4b_sampler." + probe_table + " (id int PRIMARY KEY, v text);"
                      "INSERT INTO i4b_sampler." + probe_table + " SELECT g, 'x' FROM generate_series(1, 100) g;"
                      "ANALYZE i4b_sampler." + probe_table + ";"
                      "CREATE TABLE i4b_sampler.own_role (id int); CREATE TABLE i4b_sampler.own_marker (id int);"
                      "GRANT SELECT ON ALL TABLES IN SCHEMA i4b_sampler TO advisor;");
  const auto admin = sandbox::admin_dsn();
  run_as_admin(admin, "SELECT count(*) FROM i4b_sampler." + probe_table + " WHERE id < 17", 3);
  // pgadvisor's own: run as the advisor role, and one with the marker run by someone else.
  {
    auto own = sandbox::session();
    pqxx::nontransaction txn(own->conn());
    txn.exec("SELECT count(*) FROM i4b_sampler.own_role");
  }
  run_as_admin(admin, "/* pgadvisor */ SELECT count(*) FROM i4b_sampler.own_marker");

  auto session = sandbox::session();
  StatsSampler sampler;
  const auto first = sample_ok(sampler, *session);
  REQUIRE(sampler.columns() != nullptr);
  CHECK(sampler.columns()->total_exec_time == "total_exec_time");
  CHECK(sampler.columns()->has_toplevel);
  CHECK(first.server_version_num >= 150000);
  CHECK(first.taken_at > 1.6e9);
  CHECK(first.postmaster_start > 1.6e9);
  REQUIRE(first.info);
  CHECK(first.info->stats_reset > 1.6e9);
  REQUIRE(first.database);
  CHECK(first.database->name == "pgadvisor_test");
  CHECK(first.database->xact_commit > 0);
  bool saw_table = false;
  for (const auto& t : first.tables)
    saw_table |= t.schema == "i4b_sampler" && t.name == probe_table && t.n_live_tup == 100;
  CHECK(saw_table);
  bool saw_index = false;
  for (const auto& i : first.indexes)
    saw_index |= i.schema == "i4b_sampler" && i.name == probe_table + "_pkey";
  CHECK(saw_index);
  CHECK(first.excluded_own >= 2);
  require_sane(first);

  const auto* probe = text_containing(first, "count(*) FROM i4b_sampler." + probe_table);
  REQUIRE(probe != nullptr);
  const auto* counters = counters_of(first, probe->key);
  REQUIRE(counters != nullptr);
  CHECK(counters->calls == 3);
  CHECK(counters->rows == 3);
  CHECK(probe->key.toplevel);
  CHECK(text_containing(first, "count(*) FROM i4b_sampler.own_role") == nullptr);
  CHECK(text_containing(first, "count(*) FROM i4b_sampler.own_marker") == nullptr);
  for (const auto& t : first.new_texts)
    CHECK(t.query.find("/* pgadvisor */") == std::string::npos);
  CHECK(sampler.texts_fetched_total() == first.new_texts.size());

  // The second sample fetches no text it already has, and sees the new calls.
  const auto probe_key = probe->key;
  const auto fetched = sampler.texts_fetched_total();
  run_as_admin(admin, "SELECT count(*) FROM i4b_sampler." + probe_table + " WHERE id < 17", 2);
  const auto second = sample_ok(sampler, *session);
  CHECK(text_containing(second, "count(*) FROM i4b_sampler." + probe_table) == nullptr);
  for (const auto& t : second.new_texts)
    CHECK(counters_of(first, t.key) == nullptr);  // only keys the first sample did not have
  CHECK(sampler.texts_fetched_total() == fetched + second.new_texts.size());
  REQUIRE(counters_of(second, probe_key) != nullptr);
  CHECK(counters_of(second, probe_key)->calls == 5);
  require_sane(second);
  sandbox::require_clean(*session);
  sandbox::admin_exec("DROP SCHEMA i4b_sampler CASCADE");
}

TEST_CASE("stats sampler: pg_stat_statements_reset() between samples", "[sampler]")
{
  auto& server = Throwaway::get();
  server.admin_exec("DROP TABLE IF EXISTS r; CREATE TABLE r (id int); INSERT INTO r SELECT generate_series(1, 50)");
  run_as_admin(server.admin_dsn(), "SELECT count(*) FROM r WHERE id > 7", 20);
  auto session = connect(server.test_dsn());
  StatsSampler sampler;
  const auto before = sample_ok(sampler, *session);
  REQUIRE(before.info);
  server.admin_exec("SELECT pg_stat_statements_reset()");
  run_as_admin(server.admin_dsn(), "SELECT count(*) FROM r WHERE id > 7", 2);
  const auto after = sample_ok(sampler, *session);
  REQUIRE(after.info);
  // The reset shows (so the delta tracker starts new baselines) and counters restarted low.
  CHECK(after.info->stats_reset > before.info->stats_reset);
  bool saw_restarted_counter = false;
  for (const auto& c : after.statements)
    if (const auto* old = counters_of(before, c.key); old != nullptr && old->calls == 20)
      saw_restarted_counter |= c.calls == 2;
  CHECK(saw_restarted_counter);
  require_sane(after);
}

TEST_CASE("stats sampler: entries evicted with a small pg_stat_statements.max", "[sampler]")
{
  auto& server = Throwaway::get();
  server.admin_exec("DROP TABLE IF EXISTS e; CREATE TABLE e (c0 int, c1 int, c2 int, c3 int, c4 int, c5 int, "
                    "c6 int, c7 int, c8 int)");
  auto session = connect(server.test_dsn());
  StatsSampler sampler;
  const auto before = sample_ok(sampler, *session);
  REQUIRE(before.info);
  // 300 distinct statements (one per non-empty column subset) into a 100-entry table.
  std::string batch;
  for (int mask = 1; mask <= 300; ++mask) {
    std::string columns;
    for (int c = 0; c < 9; ++c)
      if (mask & (1 << c))
        columns += (columns.empty() ? "" : ", ") + std::string("c") + std::to_string(c);
    batch += "SELECT " + columns + " FROM e;";
  }
  {
    pqxx::connection conn(server.admin_dsn());
    pqxx::nontransaction txn(conn);
    for (std::size_t start = 0, end; (end = batch.find(';', start)) != std::string::npos; start = end + 1)
      txn.exec(batch.substr(start, end - start));
  }
  const auto after = sample_ok(sampler, *session);
  REQUIRE(after.info);
  CHECK(after.info->dealloc > before.info->dealloc);
  CHECK(after.statements.size() + after.excluded_own <= 100);
  // Texts are fetched for the keys not seen before, each once.
  std::set<std::pair<std::int64_t, std::int64_t>> unique;
  for (const auto& t : after.new_texts)
    CHECK(unique.insert({t.key.userid, t.key.queryid}).second);
  CHECK(after.new_texts.size() > 50);
  require_sane(after);
  const auto again = sample_ok(sampler, *session);
  CHECK(again.new_texts.size() < 5);  // only the sampler-unrelated stragglers, if any
}

TEST_CASE("stats sampler: pg_ctl restart -m immediate between samples", "[sampler]")
{
  auto& server = Throwaway::get();
  run_as_admin(server.admin_dsn(), "SELECT 1 + 1", 5);
  auto session = connect(server.test_dsn());
  StatsSampler sampler;
  const auto before = sample_ok(sampler, *session);
  server.restart_immediate();
  // The old connection is gone: a clean error value, never an exception or a crash.
  auto broken = sampler.sample(*session);
  if (!broken)
    CHECK(broken.error().kind == model::ErrorKind::unreachable);
  // A new connection samples again, and the restart is visible.
  auto fresh = connect(server.test_dsn());
  const auto after = sample_ok(sampler, *fresh);
  CHECK(after.postmaster_start > before.postmaster_start);
  for (const auto& c : after.statements)
    if (const auto* old = counters_of(before, c.key); old != nullptr)
      CHECK(c.calls <= old->calls + 10);  // crash recovery discarded the counters
  require_sane(after);
}

TEST_CASE("stats sampler: a backend killed mid-sample gives an error value, the next sample works", "[sampler]")
{
  auto& server = Throwaway::get();
  connectors::pg::SessionSettings settings;
  settings.lock_timeout_ms = 30000;
  auto session = connect(server.test_dsn(), settings);
  StatsSampler sampler;
  server.admin_exec("DROP TABLE IF EXISTS killed_probe; CREATE TABLE killed_probe (id int)");
  sample_ok(sampler, *session);
  run_as_admin(server.admin_dsn(), "SELECT count(*) FROM killed_probe", 1);
  const int pid = session->conn().backendpid();

  // Hold the view the sampler reads after the counters and texts: the sample blocks half-way.
  pqxx::connection locker(server.admin_dsn());
  pqxx::work lock(locker);
  lock.exec("LOCK TABLE public.pg_stat_statements_info IN ACCESS EXCLUSIVE MODE");
  auto pending = std::async(std::launch::async, [&] { return sampler.sample(*session); });
  {
    pqxx::connection killer(server.admin_dsn());
    bool waiting = false;
    for (int i = 0; i < 200 && !waiting; ++i) {
      pqxx::nontransaction txn(killer);
      waiting = txn.exec_params("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", pid)
                    .size() == 1;
      if (!waiting)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    REQUIRE(waiting);
    pqxx::nontransaction txn(killer);
    txn.exec_params("SELECT pg_terminate_backend($1)", pid);
  }
  auto killed = pending.get();
  lock.abort();
  REQUIRE_FALSE(killed);
  INFO(killed.error().message);
  CHECK((killed.error().kind == model::ErrorKind::unreachable || killed.error().kind == model::ErrorKind::server));
  CHECK_FALSE(killed.error().message.empty());

  // The failed sample remembered nothing: the text it had fetched comes again.
  auto fresh = connect(server.test_dsn());
  const auto next = sample_ok(sampler, *fresh);
  CHECK(text_containing(next, "FROM killed_probe") != nullptr);
  require_sane(next);
}
