// Sampler speed and delta-state memory (issue 4). Starts its own throwaway PostgreSQL with
// pg_stat_statements.max = 5000 (scripts/pg-sandbox with PGADVISOR_SANDBOX_DIR), fills it with
// 5,000 distinct statements, and prints:
//   - our process's CPU time per sampling cycle (sample + deltas), excluding the server's time;
//   - the server-side execution time of the sampler's own queries, from pg_stat_statements;
//   - RSS while 1,000,000 distinct queryids pass through the delta state (LRU-bounded).
// Usage: bench_sampler [cycles] (default 20). Prints figures; not a test.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "connectors/postgres/session.hpp"
#include "connectors/postgres/stats_sampler.hpp"
#include "heuristics/detection/deltas.hpp"

namespace {

const std::string k_state_dir = "/tmp/pgadvisor-bench-sampler";

double cpu_ms()
{
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double wall_ms()
{
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double rss_mib()
{
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

//! The checkout (bench/CMakeLists.txt defines it).
std::string source_root()
{
  return PGADVISOR_SOURCE_DIR;
}

std::string sandbox_command(const std::string& verb)
{
  return "PGADVISOR_SANDBOX_DIR=" + k_state_dir + " " + source_root() + "/scripts/pg-sandbox " + verb;
}

std::map<std::string, std::string> read_env()
{
  std::map<std::string, std::string> env;
  std::ifstream in(k_state_dir + "/env");
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (line.rfind("export ", 0) != 0 || eq == std::string::npos)
      continue;
    auto value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"')
      value = value.substr(1, value.size() - 2);
    env[line.substr(7, eq - 7)] = value;
  }
  return env;
}

struct Stats {
  double mean = 0, median = 0, p95 = 0, max = 0;
};

Stats summarise(std::vector<double> values)
{
  Stats s;
  if (values.empty())
    return s;
  std::sort(values.begin(), values.end());
  for (const double v : values)
    s.mean += v;
  s.mean /= static_cast<double>(values.size());
  s.median = values[values.size() / 2];
  s.p95 = values[std::min(values.size() - 1, values.size() * 95 / 100)];
  s.max = values.back();
  return s;
}

//! 5 tables × 1,023 non-empty subsets of 10 columns: the first `count` distinct SELECTs.
std::vector<std::string> distinct_statements(std::size_t count)
{
  std::vector<std::string> out;
  for (int table = 0; table < 5 && out.size() < count; ++table)
    for (int mask = 1; mask < 1024 && out.size() < count; ++mask) {
      std::string columns;
      for (int c = 0; c < 10; ++c)
        if (mask & (1 << c))
          columns += (columns.empty() ? std::string("c") : std::string(", c")) + std::to_string(c);
      out.push_back("SELECT " + columns + " FROM bench.t" + std::to_string(table) + " WHERE c0 = 1");
    }
  return out;
}

int run_server_bench(int cycles)
{
  if (std::system((sandbox_command("destroy") + " >/dev/null 2>&1").c_str()) != 0)
    return 1;
  const std::string start = "PGADVISOR_SANDBOX_CONF='pg_stat_statements.max = 5000' " + sandbox_command("start");
  if (std::system(start.c_str()) != 0) {
    std::fprintf(stderr, "bench_sampler: could not start the throwaway server\n");
    return 1;
  }
  auto env = read_env();
  const auto port = env["PGADVISOR_SANDBOX_PORT"];
  const auto admin_dsn = "host=" + env["PGADVISOR_SANDBOX_SOCKET"] + " port=" + port + " dbname=pgadvisor_test user=postgres";
  const auto dsn = "host=127.0.0.1 port=" + port + " dbname=pgadvisor_test user=advisor passfile=" + k_state_dir + "/pgpass";

  pqxx::connection admin(admin_dsn);
  {
    pqxx::nontransaction txn(admin);
    txn.exec("CREATE SCHEMA bench");
    for (int t = 0; t < 5; ++t)
      txn.exec("CREATE TABLE bench.t" + std::to_string(t) +
               " (c0 int, c1 int, c2 int, c3 int, c4 int, c5 int, c6 int, c7 int, c8 int, c9 int)");
    txn.exec("SELECT pg_stat_statements_reset()");
  }
  const auto statements = distinct_statements(5000);
  {
    pqxx::nontransaction txn(admin);
    for (const auto& s : statements)
      txn.exec(s);
  }

  auto connected = connectors::pg::Session::connect(dsn);
  if (!connected) {
    std::fprintf(stderr, "bench_sampler: %s\n", connected.error().message.c_str());
    return 1;
  }
  auto& session = *connected.value();
  connectors::pg::StatsSampler sampler;
  heuristics::detection::DeltaTracker tracker;

  // First cycle: every text is new.
  double cpu0 = cpu_ms();
  double wall0 = wall_ms();
  auto first = sampler.sample(session);
  if (!first) {
    std::fprintf(stderr, "bench_sampler: %s\n", first.error().message.c_str());
    return 1;
  }
  tracker.update(*first);
  const double first_cpu = cpu_ms() - cpu0;
  const double first_wall = wall_ms() - wall0;
  const auto entries = first->statements.size();
  const auto texts = first->new_texts.size();
  first = model::Sample{};

  {
    pqxx::nontransaction txn(admin);
    txn.exec("SELECT pg_stat_statements_reset((SELECT oid FROM pg_roles WHERE rolname = 'advisor'), 0, 0)");
  }
  std::vector<double> cpu;
  std::vector<double> wall;
  std::size_t deltas = 0;
  bool negative = false;
  for (int c = 0; c < cycles; ++c) {
    {
      // Some work between cycles (not measured), so that windows have deltas.
      pqxx::nontransaction txn(admin);
      for (std::size_t i = static_cast<std::size_t>(c) * 250 % statements.size(), n = 0; n < 250; ++n)
        txn.exec(statements[(i + n) % statements.size()]);
    }
    cpu0 = cpu_ms();
    wall0 = wall_ms();
    auto sample = sampler.sample(session);
    if (!sample) {
      std::fprintf(stderr, "bench_sampler: %s\n", sample.error().message.c_str());
      return 1;
    }
    const auto window = tracker.update(*sample);
    cpu.push_back(cpu_ms() - cpu0);
    wall.push_back(wall_ms() - wall0);
    deltas += window.statements.size();
    for (const auto& d : window.statements)
      negative |= d.calls < 0 || d.total_exec_ms < 0 || d.rows < 0;
  }

  // Server-side time of our own queries, as pg_stat_statements measured it.
  double server_ms = 0;
  long long server_calls = 0;
  std::vector<std::pair<double, std::string>> per_query;
  {
    pqxx::nontransaction txn(admin);
    const auto rows = txn.exec(
        "SELECT total_exec_time, calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements "
        "WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = 'advisor') AND query LIKE '/* pgadvisor */%' "
        "ORDER BY total_exec_time DESC");
    for (const auto& r : rows) {
      server_ms += r[0].as<double>();
      server_calls += r[1].as<long long>();
      per_query.emplace_back(r[0].as<double>() / cycles, r[2].as<std::string>());
    }
  }

  const auto c = summarise(cpu);
  const auto w = summarise(wall);
  std::printf("== sampler against pg_stat_statements.max = 5000 (PostgreSQL %d) ==\n", session.server_version_num());
  std::printf("entries sampled            %zu statements (texts fetched on the first cycle: %zu)\n", entries, texts);
  std::printf("first cycle (all texts)    CPU %.2f ms, wall %.2f ms\n", first_cpu, first_wall);
  std::printf("steady cycles (%d)         CPU per cycle: mean %.2f ms, median %.2f ms, p95 %.2f ms, max %.2f ms"
              "  (target <= 50 ms)\n", cycles, c.mean, c.median, c.p95, c.max);
  std::printf("                           wall per cycle: mean %.2f ms, median %.2f ms\n", w.mean, w.median);
  std::printf("server time of our queries %.2f ms per cycle (%lld executions over %d cycles, pg_stat_statements)\n",
              server_ms / cycles, server_calls, cycles);
  for (const auto& [ms, query] : per_query)
    std::printf("    %8.3f ms/cycle  %s\n", ms, query.c_str());
  std::printf("deltas produced            %zu over %d windows; negative values: %s\n", deltas, cycles,
              negative ? "YES (bug)" : "none");
  return 0;
}

void run_memory_bench()
{
  heuristics::detection::DeltaOptions options;  // default LRU bound
  heuristics::detection::DeltaTracker tracker(options);
  std::printf("\n== delta state: 1,000,000 distinct queryids, LRU bound %zu keys ==\n", tracker.capacity());
  std::printf("RSS before                 %.1f MiB\n", rss_mib());
  constexpr std::int64_t batch = 5000;  // one full pg_stat_statements per sample
  double at = 1.7e9;
  std::int64_t next = 1;
  for (int step = 1; step <= 4; ++step) {
    while (next <= step * 250000) {
      model::Sample sample;
      sample.taken_at = at += 60;
      sample.postmaster_start = 1.6e9;
      sample.info = model::StatementsInfo{next, 1.6e9};
      sample.statements.reserve(batch);
      for (std::int64_t i = 0; i < batch; ++i, ++next) {
        model::StatementCounters counters;
        counters.key = model::StatementKey{10, 5, next * 2654435761LL, true};
        counters.calls = 1 + next % 7;
        counters.total_exec_ms = 0.5 * static_cast<double>(counters.calls);
        sample.statements.push_back(counters);
        sample.new_texts.push_back(model::StatementText{counters.key, "SELECT c0, c1 FROM t WHERE id = $1 /* " +
                                                                          std::to_string(next) + " */"});
      }
      tracker.update(sample);
    }
    std::printf("after %7lld queryids     RSS %.1f MiB  (keys held %zu, dropped %zu)\n",
                static_cast<long long>(next - 1), rss_mib(), tracker.size(), tracker.dropped_total());
  }
  std::printf("target: <= 64 MiB and flat\n");
}

}  // namespace

int main(int argc, char** argv)
{
  const int cycles = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  const bool keep = std::getenv("BENCH_SAMPLER_KEEP") != nullptr;
  int rc = 0;
  try {
    rc = run_server_bench(cycles);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_sampler: %s\n", e.what());
    rc = 1;
  }
  if (!keep)
    rc |= std::system((sandbox_command("destroy") + " >/dev/null").c_str()) != 0 ? 1 : 0;
  run_memory_bench();
  return rc;
}
