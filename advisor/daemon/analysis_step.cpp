#include "advisor/daemon/analysis_step.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <set>

#include "advisor/query_analysis.hpp"
#include "advisor/workload_advice.hpp"
#include "connectors/postgres/conninfo.hpp"
#include "connectors/postgres/session.hpp"

namespace advisor::daemon {

namespace {

constexpr double daemon_budget_fraction = 1.0;

bool is_index(const model::Recommendation& recommendation)
{
  return recommendation.kind == model::RecommendationKind::create_index;
}

//! What the index saves on one query over the window, in planner cost weighted by calls.
double gain_of(const model::QueryRef& ref)
{
  if (!ref.cost_before || !ref.cost_after)
    return 0;
  return std::max(0.0, ref.calls * (*ref.cost_before - *ref.cost_after));
}

//! The table a CREATE INDEX statement (prerequisites first) indexes, as written after ON.
std::string indexed_table(const std::string& statement)
{
  const auto create = statement.rfind("CREATE ");
  const auto on = statement.find(" ON ", create == std::string::npos ? 0 : create);
  if (on == std::string::npos)
    return {};
  const auto start = on + 4;
  const auto end = statement.find_first_of(" (", start);
  return statement.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

//! The statement's findings on the table `recommendation` indexes: its trace, as the
//! per-statement advice gave it.
std::vector<model::Finding> findings_for(const model::Recommendation& recommendation,
                                         const std::vector<model::Finding>& findings)
{
  const std::string table = indexed_table(recommendation.statement);
  const auto dot = table.find('.');
  const std::string bare = dot == std::string::npos ? table : table.substr(dot + 1);
  std::vector<model::Finding> related;
  for (const auto& finding : findings)
    if (!table.empty() && (finding.relation == table || finding.relation == bare))
      related.push_back(finding);
  return related;
}

}  // namespace

model::Result<AnalysisReport> analyse_statement(const std::string& conninfo, const std::string& sql,
                                                const AnalysisSettings& settings)
{
  return analyse_online(conninfo, sql, settings);
}

std::vector<WorkloadStatement> cycle_workload(const std::vector<AnalysedStatement>& analysed)
{
  std::vector<WorkloadStatement> out;
  for (std::size_t i = 0; i < analysed.size(); ++i) {
    const auto& a = analysed[i];
    WorkloadStatement statement;
    statement.sql = a.report.query ? a.report.query->shape.sql : std::string();
    statement.calls = std::max(1.0, a.window.calls);
    statement.line = static_cast<int>(i + 1);
    statement.normalized = statement.sql.find('$') != std::string::npos;
    model::StatementStats stats;
    stats.queryid = a.fingerprint;
    stats.calls = a.window.calls;
    stats.total_ms = a.window.total_ms;
    stats.mean_ms = a.window.mean_ms;
    stats.stddev_ms = a.window.stddev_ms;
    stats.rows = a.window.rows;
    stats.shared_blks_hit = static_cast<std::int64_t>(a.window.shared_blks_hit);
    stats.shared_blks_read = static_cast<std::int64_t>(a.window.shared_blks_read);
    stats.temp_blks_written = static_cast<std::int64_t>(a.window.temp_blks_written);
    stats.window_seconds = std::max(0.0, a.window.end_at - a.window.start_at);
    statement.stats = stats;
    out.push_back(std::move(statement));
  }
  return out;
}

void merge_workload_indexes(std::vector<AnalysedStatement>& analysed, const WorkloadReport& report)
{
  // Which statements the workload planned, by the libpg_query fingerprint its advice names.
  std::map<std::string, std::vector<std::size_t>> by_fingerprint;
  std::set<std::size_t> advised;
  for (const auto& query : report.queries) {
    if (query.line < 1 || static_cast<std::size_t>(query.line) > analysed.size())
      continue;
    const auto index = static_cast<std::size_t>(query.line - 1);
    if (advised.insert(index).second)
      by_fingerprint[query.fingerprint].push_back(index);
  }
  // The workload decided these statements' indexes; their own advice would compete with it.
  // What the per-statement advice costed for the same index (its what-if plan) is kept.
  std::map<std::pair<std::size_t, std::string>, std::string> plans_after;
  for (std::size_t i : advised) {
    auto& recommendations = analysed[i].report.recommendations;
    for (const auto& own : recommendations)
      if (is_index(own) && !own.plan_after_json.empty())
        plans_after[{i, own.statement}] = own.plan_after_json;
    recommendations.erase(std::remove_if(recommendations.begin(), recommendations.end(), is_index),
                          recommendations.end());
  }
  for (const auto& recommendation : report.recommendations) {
    if (!is_index(recommendation))
      continue;  // existing-index reviews and rewrites: the per-statement analysis files its own
    double total_gain = 0;
    for (const auto& ref : recommendation.queries)
      total_gain += gain_of(ref);
    std::set<std::size_t> given;
    for (const auto& ref : recommendation.queries) {
      auto it = by_fingerprint.find(ref.fingerprint);
      if (it == by_fingerprint.end())
        continue;
      const double share = total_gain > 0 ? gain_of(ref) / total_gain : 1.0 / recommendation.queries.size();
      for (std::size_t i : it->second) {
        if (!given.insert(i).second)
          continue;
        auto copy = recommendation;
        copy.queries = {ref};
        // The whole index's estimate in every copy: filing keeps the first copy's and turns
        // its improvement into ms saved per day from each statement's own window time.
        copy.score = std::max(0.0, recommendation.score) * share / static_cast<double>(it->second.size());
        copy.findings = findings_for(copy, analysed[i].report.findings);
        if (auto plan = plans_after.find({i, copy.statement}); plan != plans_after.end() && copy.plan_after_json.empty())
          copy.plan_after_json = plan->second;
        if (!copy.estimate.improvement && given.size() > 1)
          copy.estimate.ms_saved_per_day.reset();  // filing sums the copies' figures as they are
        analysed[i].report.recommendations.push_back(std::move(copy));
      }
    }
  }
}

void advise_cycle_indexes(const config::Target& target, std::vector<AnalysedStatement>& analysed,
                          const AnalysisSettings& settings, Log& log)
{
  if (analysed.empty())
    return;
  try {
    auto session = connectors::pg::Session::connect(target.conninfo, settings.session);
    if (!session) {
      log.warning(target.name, "workload index advice skipped (" + session.error().message +
                                   "); each statement keeps its own index advice");
      return;
    }
    WorkloadSettings workload;
    workload.analysis = settings;
    // The detected statements are a few of the hottest, not the whole workload: the 25 % the
    // one-shot workload advice allows would refuse an ordinary index on a narrow table (the
    // per-statement advice had no budget at all). Up to the size of the tables they read.
    workload.budget_fraction = daemon_budget_fraction;
    auto report = advise_workload(**session, cycle_workload(analysed), {}, "detected statements", workload);
    if (!report) {
      log.warning(target.name, "workload index advice failed (" + report.error().message +
                                   "); each statement keeps its own index advice");
      return;
    }
    for (const auto& skipped : report->skipped)
      log.debug(target.name, "workload index advice left out a statement: " + skipped.reason);
    merge_workload_indexes(analysed, *report);
    log.debug(target.name, "workload index advice over " + std::to_string(report->queries.size()) + " of " +
                               std::to_string(analysed.size()) + " analysed statements");
  } catch (const std::exception& e) {
    // A connection lost mid-advice: the per-statement advice is still worth filing.
    log.warning(target.name,
                "workload index advice failed (" +
                    connectors::pg::scrub_secrets(e.what(), connectors::pg::conninfo_secrets(target.conninfo)) +
                    "); each statement keeps its own index advice");
  }
}

}  // namespace advisor::daemon
