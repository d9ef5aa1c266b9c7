#include "advisor/query_analysis.hpp"

#include <algorithm>
#include <utility>

#include "advisor/index_advice.hpp"
#include "advisor/rewrite_advice.hpp"
#include "advisor/statistics_advice.hpp"
#include "connectors/clock.hpp"
#include "connectors/postgres/catalog_reader.hpp"
#include "connectors/postgres/explain_runner.hpp"
#include "connectors/postgres/function_reader.hpp"
#include "connectors/postgres/session.hpp"
#include "heuristics/index_candidate_expression.hpp"
#include "heuristics/number_format.hpp"
#include "heuristics/rule_registry.hpp"

namespace advisor {

namespace {

std::vector<std::pair<std::string, std::string>> referenced_tables(const parser::QueryShape& shape)
{
  std::vector<std::pair<std::string, std::string>> tables;
  for (const auto& table : shape.tables) {
    std::pair<std::string, std::string> key{table.schema, table.name};
    bool seen = false;
    for (const auto& existing : tables)
      seen = seen || existing == key;
    if (!seen)
      tables.push_back(std::move(key));
  }
  return tables;
}

//! Findings with a mechanical rewrite become `rewrite` recommendations, costed by planning the
//! rewritten SQL. Scored like index advice for one call: observed ms × improvement × confidence.
std::vector<model::Recommendation> rewrites_for(connectors::pg::Session& session, AnalysisReport& report,
                                                const std::string& sql, const model::Plan& plan,
                                                std::optional<double> observed_ms)
{
  RewriteSource source;
  source.query.fingerprint = report.query->fingerprint.hex;
  source.query.normalized = report.query->normalized;
  source.query.mean_ms = observed_ms;
  source.query.total_ms = observed_ms;
  source.planned_sql = sql;
  source.cost_before = plan.root.total_cost;
  for (const auto& finding : report.findings)
    if (!finding.rewritten_sql.empty())
      source.findings.push_back(finding);
  if (source.findings.empty())
    return {};
  std::vector<model::Recommendation> kept;
  for (auto& rewrite : rewrite_recommendations(session, report.target, {source}, report.notes)) {
    const auto improvement = rewrite.estimate.improvement;
    // A rewrite the planner costs higher is not advice (the finding still explains the issue).
    if (improvement && *improvement <= 0) {
      report.rejected.push_back({rewrite.statement, "rewrite: planned cost " +
                                                        heuristics::format_number(rewrite.estimate.cost_after.value_or(0)) +
                                                        " is not below " + heuristics::format_number(source.cost_before)});
      continue;
    }
    rewrite.score = (observed_ms ? *observed_ms : 1.0) * improvement.value_or(0) * rewrite.confidence;
    kept.push_back(std::move(rewrite));
  }
  return kept;
}

void rank(std::vector<model::Recommendation>& recommendations)
{
  std::stable_sort(recommendations.begin(), recommendations.end(),
                   [](const auto& a, const auto& b) { return a.score > b.score; });
  int rank = 0;
  for (auto& recommendation : recommendations)
    recommendation.rank = ++rank;
}

}  // namespace

model::Result<AnalysisReport> analyse_online(const std::string& conninfo, const std::string& sql,
                                             const AnalysisSettings& settings)
{
  // Parse first: invalid SQL never reaches the server.
  auto query = parser::analyse(sql);
  if (!query)
    return query.error();

  auto session = connectors::pg::Session::connect(conninfo, settings.session);
  if (!session)
    return session.error();

  AnalysisReport report;
  report.generated_at = connectors::utc_now_iso8601();
  report.target = (*session)->database();
  report.query = *query;

  auto explained = connectors::pg::explain(**session, {sql, settings.explain_analyze});
  if (!explained)
    return explained.error();
  report.generic_plan = explained->generic_plan;
  if (!explained->note.empty())
    report.notes.push_back(explained->note);

  auto catalog = connectors::pg::read_catalog(**session, referenced_tables(query->shape));
  if (!catalog)
    return catalog.error();
  report.tables = catalog->tables;
  for (auto& table : report.tables)
    table.columns.clear();  // the statistics per column are large and the hypotheses need none
  // Function volatility and extensions decide expression and trigram candidates.
  auto features = connectors::pg::read_server_features(**session, heuristics::functions_to_check(query->shape));
  if (features)
    catalog->features = std::move(*features);
  else
    report.notes.push_back("could not read function volatility and extensions: " + features.error().message);

  heuristics::RuleContext context;
  context.shape = &query->shape;
  context.plan = &explained->plan;
  context.catalog = &catalog.value();
  context.notes = &report.notes;
  report.findings = heuristics::run_rules(context, settings.rules);

  std::optional<double> observed_ms;
  if (explained->analyzed)
    observed_ms = explained->plan.execution_ms;
  auto advice = advise_indexes(**session, report.target, sql, *query, *catalog, report.findings,
                               &explained->plan, observed_ms, settings);
  report.recommendations = std::move(advice.recommendations);
  report.rejected = std::move(advice.rejected);
  report.notes.insert(report.notes.end(), advice.notes.begin(), advice.notes.end());
  for (auto& rewrite : rewrites_for(**session, report, sql, explained->plan, observed_ms))
    report.recommendations.push_back(std::move(rewrite));
  model::QueryRef query_ref;
  query_ref.fingerprint = query->fingerprint.hex;
  query_ref.normalized = query->normalized;
  query_ref.mean_ms = query_ref.total_ms = observed_ms;
  for (auto& analyze : analyze_recommendations(report.target, query_ref, report.findings))
    report.recommendations.push_back(std::move(analyze));
  for (auto& recommendation : report.recommendations)
    recommendation.first_seen = recommendation.last_seen = report.generated_at;
  rank(report.recommendations);

  report.plan = std::move(explained->plan);
  return report;
}

model::Result<AnalysisReport> analyse_offline(const std::string& plan_json,
                                              const std::optional<std::string>& sql,
                                              const AnalysisSettings& settings)
{
  auto plan = model::parse_explain_json(plan_json);
  if (!plan)
    return plan.error();

  AnalysisReport report;
  report.generated_at = connectors::utc_now_iso8601();
  report.target = "offline";
  if (sql) {
    auto query = parser::analyse(*sql);
    if (!query)
      return query.error();
    report.query = std::move(*query);
  }
  if (!plan->analyzed)
    report.notes.push_back("the plan has no ANALYZE figures: rules that need actual rows and times were skipped");
  report.notes.push_back("offline analysis: no catalog and no HypoPG, so index advice is not validated here; "
                         "run with --db for recommendations");

  heuristics::RuleContext context;
  context.shape = report.query ? &report.query->shape : nullptr;
  context.plan = &plan.value();
  context.notes = &report.notes;
  report.findings = heuristics::run_rules(context, settings.rules);
  report.plan = std::move(*plan);
  return report;
}

}  // namespace advisor
