// Index advisor benchmark: loads bench/data/bench_advisor_schema.sql into the sandbox (schema
// bench_advisor, once), advises bench/data/bench_advisor_workload.sql (24 templates, 6 tables)
// and prints the workload cost without / with the recommended set, the set's size, the
// number of what-if calls and the wall time. Then, on a subset small enough to enumerate, the
// gap between the greedy choice and the best set of the same budget.
//
// Needs the sandbox: PGADVISOR_TEST_DSN and PGADVISOR_ADMIN_DSN (source .sandbox/env).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <pqxx/pqxx>

#include "advisor/workload_advice.hpp"
#include "connectors/postgres/catalog_reader.hpp"
#include "connectors/postgres/hypopg_session.hpp"
#include "heuristics/index_candidates.hpp"
#include "heuristics/workload_selection.hpp"
#include "parser/query.hpp"

namespace {

std::string read_text(const std::string& path)
{
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string env(const char* name)
{
  const char* value = std::getenv(name);
  if (!value || !*value) {
    std::fprintf(stderr, "%s is not set: source .sandbox/env\n", name);
    std::exit(1);
  }
  return value;
}

void load_schema_once(const std::string& admin_dsn, const std::string& data_dir)
{
  pqxx::connection conn(admin_dsn);
  pqxx::nontransaction tx(conn);
  if (!tx.exec("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
               "WHERE n.nspname = 'bench_advisor' AND c.relname = 'events'").empty())
    return;
  std::printf("loading bench_advisor (once)...\n");
  tx.exec(read_text(data_dir + "/bench_advisor_schema.sql"));
  tx.exec("VACUUM ANALYZE bench_advisor.tenants, bench_advisor.accounts, bench_advisor.products, bench_advisor.orders, "
          "bench_advisor.order_lines, bench_advisor.events");
}

//! The exhaustive comparison: the statements of the subset, their candidates (btree kinds
//! HypoPG can build, not covered by an existing index), greedy vs enumeration at one budget.
void exhaustive_gap(connectors::pg::Session& session, const std::vector<advisor::WorkloadStatement>& statements,
                    double budget_fraction)
{
  std::vector<heuristics::WorkloadQueryInfo> queries;
  std::vector<std::string> sql;
  std::vector<std::pair<std::string, std::string>> tables;
  std::vector<parser::QueryInfo> infos;
  for (const auto& statement : statements) {
    auto info = parser::analyse(statement.sql);
    if (!info)
      continue;
    for (const auto& table : info->shape.tables)
      tables.emplace_back(table.schema, table.name);
    infos.push_back(*info);
    sql.push_back(statement.sql);
  }
  auto catalog = connectors::pg::read_catalog(session, tables);
  if (!catalog) {
    std::fprintf(stderr, "catalog: %s\n", catalog.error().message.c_str());
    return;
  }
  connectors::pg::WhatIfSession what_if(session);
  std::vector<heuristics::SelectionCandidate> candidates;
  std::vector<std::string> ddl;
  std::int64_t table_bytes = 0;
  for (const auto& table : catalog->tables)
    table_bytes += table.size_bytes;
  for (std::size_t q = 0; q < infos.size(); ++q) {
    std::vector<std::string> names;
    for (const auto& table : infos[q].shape.tables) {
      const auto* info = catalog->find(table.schema, table.name);
      if (info)
        names.push_back(info->schema + "." + info->name);
    }
    queries.push_back({infos[q].fingerprint.hex, statements[q].calls, names});
    for (auto& candidate : heuristics::generate_index_candidates(infos[q].shape, *catalog)) {
      const auto* table = catalog->find(candidate.schema, candidate.table);
      if (!candidate.hypopg_supported() || !table || heuristics::covering_index(candidate, *table) ||
          candidate.kind == heuristics::CandidateKind::partial)
        continue;
      if (std::find(ddl.begin(), ddl.end(), candidate.hypothetical_ddl()) != ddl.end() || candidates.size() >= 14)
        continue;
      auto size = what_if.index_size(candidate.hypothetical_ddl());
      if (!size)
        continue;
      ddl.push_back(candidate.hypothetical_ddl());
      candidates.push_back({candidate, table->schema + "." + table->name, *size, 0});
    }
  }
  const heuristics::WhatIfCost cost = [&](std::size_t q, const std::vector<std::size_t>& present) -> std::optional<double> {
    std::vector<std::string> statements_present;
    for (std::size_t c : present)
      statements_present.push_back(ddl[c]);
    auto result = what_if.cost_with(sql[q], statements_present);
    return result ? std::optional<double>(result->cost) : std::nullopt;
  };
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = static_cast<std::int64_t>(budget_fraction * static_cast<double>(table_bytes));
  const auto started = std::chrono::steady_clock::now();
  const auto greedy = heuristics::select_for_workload(queries, candidates, cost, settings);
  const double greedy_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  const auto best = heuristics::exhaustive_selection(queries, candidates, cost, settings);
  if (!best)
    return;
  const double greedy_benefit = greedy.total_without - greedy.total_with;
  const double best_benefit = best->total_without - best->total_with;
  const double gap = best_benefit > 0 ? (best_benefit - greedy_benefit) / best_benefit : 0;
  std::printf("exhaustive subset: %zu queries, %zu candidates (%llu subsets), budget %.1f MB (%.0f %% of %.1f MB)\n",
              queries.size(), candidates.size(), 1ULL << candidates.size(),
              static_cast<double>(settings.budget_bytes) / 1048576.0, budget_fraction * 100,
              static_cast<double>(table_bytes) / 1048576.0);
  std::printf("  greedy: %zu indexes, %.1f MB, benefit %.0f (cost %.0f -> %.0f), %zu what-if calls, %.0f ms\n",
              greedy.chosen.size(), static_cast<double>(greedy.chosen_bytes) / 1048576.0, greedy_benefit,
              greedy.total_without, greedy.total_with, greedy.what_if_calls, greedy_ms);
  std::printf("  best:   %zu indexes, %.1f MB, benefit %.0f (cost %.0f -> %.0f), %zu what-if calls\n",
              best->chosen.size(), static_cast<double>(best->chosen_bytes) / 1048576.0, best_benefit,
              best->total_without, best->total_with, best->what_if_calls);
  std::printf("  gap to the optimum: %.2f %%\n", gap * 100);
}

}  // namespace

int main()
{
  const std::string data_dir = std::string(PGADVISOR_SOURCE_DIR) + "/bench/data";
  const std::string test_dsn = env("PGADVISOR_TEST_DSN");
  load_schema_once(env("PGADVISOR_ADMIN_DSN"), data_dir);

  const std::string workload = read_text(data_dir + "/bench_advisor_workload.sql");
  for (double fraction : {0.25, 0.50}) {
  advisor::WorkloadSettings settings;
  settings.budget_fraction = fraction;
  std::printf("== whole workload, budget %.0f %% of the tables\n", fraction * 100);
  const auto started = std::chrono::steady_clock::now();
  auto report = advisor::analyse_workload_text(test_dsn, workload, "bench_advisor_workload.sql", settings);
  const double wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!report) {
    std::fprintf(stderr, "advice failed: %s\n", report.error().message.c_str());
    return 1;
  }
  std::size_t indexes = 0;
  for (const auto& rec : report->recommendations) {
    if (rec.kind == model::RecommendationKind::create_index)
      ++indexes;
    std::printf("  %-12s %s\n", model::to_string(rec.kind), rec.statement.c_str());
  }
  std::printf("workload: %zu statements advised, %zu skipped, %zu candidates\n", report->queries.size(),
              report->skipped.size(), report->candidates_considered);
  std::printf("cost without: %.0f\ncost with:    %.0f\nratio:        %.3f (%.1f %% cheaper)\n",
              report->total_cost_before, report->total_cost_after,
              report->total_cost_after / report->total_cost_before,
              100 * (1 - report->total_cost_after / report->total_cost_before));
  std::printf("recommended:  %zu new indexes, %.1f MB of a %.1f MB budget\n", indexes,
              static_cast<double>(report->recommended_bytes) / 1048576.0,
              static_cast<double>(report->budget_bytes) / 1048576.0);
  std::printf("what-if calls: %zu\nwall time:    %.0f ms (target < 10000 ms)\n", report->what_if_calls, wall_ms);
  }
  const std::string workload_text = workload;

  // Subset: the accounts and orders templates (btree kinds), small enough to enumerate.
  auto file = advisor::parse_workload_file(workload_text);
  std::vector<advisor::WorkloadStatement> subset;
  for (const auto& statement : file.statements)
    if ((statement.sql.find("bench_advisor.orders") != std::string::npos ||
         statement.sql.find("bench_advisor.accounts") != std::string::npos) &&
        statement.sql.find("JOIN") == std::string::npos && statement.sql.find("lower(") == std::string::npos)
      subset.push_back(statement);
  auto session = connectors::pg::Session::connect(test_dsn);
  if (!session) {
    std::fprintf(stderr, "%s\n", session.error().message.c_str());
    return 1;
  }
  for (double fraction : {0.10, 0.25, 0.50, 1.00})
    exhaustive_gap(**session, subset, fraction);
  return 0;
}
