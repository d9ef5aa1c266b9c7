#include "advisor/workload_indexes.hpp"

#include <algorithm>
#include <set>

#include "advisor/index_advice.hpp"
#include "connectors/postgres/hypopg_session.hpp"
#include "connectors/postgres/stat_statements_reader.hpp"
#include "heuristics/identifiers.hpp"
#include "heuristics/index_candidates.hpp"
#include "heuristics/index_selection.hpp"
#include "heuristics/number_format.hpp"
#include "heuristics/unvalidated_estimate.hpp"
#include "heuristics/workload_selection.hpp"

namespace advisor {

namespace {

constexpr double validated_confidence = 0.9;
constexpr double unvalidated_confidence = 0.4;
constexpr std::int64_t low_risk_index_bytes = 1LL << 30;

struct PoolEntry {
  heuristics::IndexCandidate candidate;
  std::string table;
  std::vector<std::size_t> queries;  //!< the queries that proposed it (empty for merged ones)
};

std::string table_of(const heuristics::IndexCandidate& candidate) { return candidate.schema + "." + candidate.table; }

void add_to_pool(std::vector<PoolEntry>& pool, heuristics::IndexCandidate candidate, std::size_t query)
{
  for (auto& entry : pool) {
    if (!(entry.candidate == candidate))
      continue;
    for (auto& reason : candidate.reasons)
      if (std::find(entry.candidate.reasons.begin(), entry.candidate.reasons.end(), reason) == entry.candidate.reasons.end())
        entry.candidate.reasons.push_back(reason);
    if (std::find(entry.queries.begin(), entry.queries.end(), query) == entry.queries.end())
      entry.queries.push_back(query);
    return;
  }
  const std::string table = table_of(candidate);
  pool.push_back({std::move(candidate), table, {query}});
}

std::string statement_of(const heuristics::IndexCandidate& candidate)
{
  std::string out;
  for (const auto& prerequisite : candidate.prerequisites)
    out += prerequisite + ";\n";
  return out + candidate.ddl() + ";";
}

model::QueryRef query_ref(const AdvisedQuery& query)
{
  model::QueryRef ref;
  ref.fingerprint = query.info.fingerprint.hex;
  ref.normalized = query.info.normalized;
  ref.calls = query.statement.calls;
  if (query.statement.stats) {
    ref.mean_ms = query.statement.stats->mean_ms;
    ref.total_ms = query.statement.stats->total_ms;
  }
  return ref;
}

bool is_write(const parser::QueryShape& shape)
{
  return shape.kind == parser::StatementKind::insert || shape.kind == parser::StatementKind::update ||
         shape.kind == parser::StatementKind::delete_ || shape.kind == parser::StatementKind::merge;
}

//! Rows the workload writes to each table: its INSERT/UPDATE/DELETE statements (rows per
//! call when pg_stat_statements knows it), else pg_stat_user_tables when the figures come
//! from the same statistics window.
double rows_written(const std::string& table, const std::vector<AdvisedQuery>& queries, const model::Catalog& catalog,
                    bool use_activity)
{
  double rows = 0;
  for (const auto& query : queries) {
    if (!is_write(query.info.shape) || query.tables.empty() || query.tables.front() != table)
      continue;
    const double per_call = query.statement.stats ? std::max(1.0, query.statement.stats->rows_per_call()) : 1.0;
    rows += query.statement.calls * per_call;
  }
  if (rows > 0 || !use_activity)
    return rows;
  const auto dot = table.find('.');
  const auto* info = catalog.find(table.substr(0, dot), table.substr(dot + 1));
  if (info && info->activity)
    rows = static_cast<double>(info->activity->n_tup_ins + info->activity->n_tup_upd + info->activity->n_tup_del);
  return rows;
}

bool finding_on(const AdvisedQuery& query, const std::string& table)
{
  const auto dot = table.find('.');
  return std::any_of(query.findings.begin(), query.findings.end(), [&](const model::Finding& finding) {
    return finding.relation == table || finding.relation == table.substr(dot + 1);
  });
}

std::optional<std::string> pattern_of(const AdvisedQuery& query, const heuristics::IndexCandidate& candidate)
{
  for (const auto& predicate : query.info.shape.predicates)
    if ((predicate.kind == parser::PredicateKind::like_infix || predicate.kind == parser::PredicateKind::regex ||
         predicate.kind == parser::PredicateKind::like_prefix) &&
        predicate.constant && std::find(candidate.columns.begin(), candidate.columns.end(), predicate.column.column) !=
                                  candidate.columns.end())
      return predicate.constant;
  return std::nullopt;
}

model::Recommendation base_recommendation(const std::string& target, const heuristics::IndexCandidate& candidate)
{
  model::Recommendation rec;
  rec.target = target;
  rec.kind = model::RecommendationKind::create_index;
  rec.statement = statement_of(candidate);
  rec.id = heuristics::recommendation_id(target, model::to_string(rec.kind), rec.statement);
  return rec;
}

std::string reasons_text(const heuristics::IndexCandidate& candidate)
{
  std::string text;
  for (std::size_t i = 0; i < candidate.reasons.size(); ++i)
    text += (i ? "; " : "") + candidate.reasons[i];
  return text;
}

void advise_unsupported(const std::vector<std::pair<heuristics::IndexCandidate, std::size_t>>& unsupported,
                        const std::vector<AdvisedQuery>& queries, const model::Catalog& catalog,
                        const WorkloadSettings& settings, WorkloadReport& report)
{
  for (const auto& [candidate, q] : unsupported) {
    const auto* table = catalog.find(candidate.schema, candidate.table);
    if (!table)
      continue;
    const auto& query = queries[q];
    const auto estimate =
        heuristics::estimate_unvalidated(candidate, query.planned.explained.plan, *table, pattern_of(query, candidate));
    if (estimate.improvement() < settings.analysis.selection.min_improvement) {
      report.rejected.push_back({candidate.ddl(), candidate.index_name() + ": estimated " +
                                                      heuristics::format_percent(estimate.improvement()) +
                                                      " cheaper, below the bar (" + estimate.reason + ")"});
      continue;
    }
    auto rec = base_recommendation(report.target, candidate);
    rec.validated = false;
    rec.confidence = unvalidated_confidence;
    rec.estimate.cost_before = query.statement.calls * estimate.plan_cost_before;
    rec.estimate.cost_after = query.statement.calls * estimate.plan_cost_after;
    rec.estimate.improvement = estimate.improvement();
    auto ref = query_ref(query);
    ref.cost_before = estimate.plan_cost_before;
    ref.cost_after = estimate.plan_cost_after;
    rec.queries.push_back(ref);
    rec.rationale = "A " + candidate.access_method + " index on " + table_of(candidate) + " serves " +
                    reasons_text(candidate) + ". Not validated: HypoPG cannot build " + candidate.access_method +
                    " indexes, so the benefit is estimated from the plan: " + estimate.reason + ".";
    rec.score = query.statement.calls * (estimate.plan_cost_before - estimate.plan_cost_after) * rec.confidence;
    report.recommendations.push_back(std::move(rec));
  }
}

void advise_without_hypopg(const std::vector<PoolEntry>& pool, const std::vector<AdvisedQuery>& queries,
                           WorkloadReport& report)
{
  report.notes.push_back("HypoPG is not installed in this database: index advice is heuristic and not validated "
                         "(lower confidence); CREATE EXTENSION hypopg to validate it");
  std::set<std::pair<std::size_t, std::string>> advised;  // (query, table) already given an index
  for (const auto& entry : pool) {
    double share = 0;
    auto rec = base_recommendation(report.target, entry.candidate);
    for (std::size_t q : entry.queries) {
      if (!finding_on(queries[q], entry.table) || !advised.insert({q, entry.table}).second)
        continue;
      for (const auto& finding : queries[q].findings)
        share = std::max(share, finding.time_share);
      rec.queries.push_back(query_ref(queries[q]));
    }
    if (rec.queries.empty()) {
      report.rejected.push_back({entry.candidate.ddl(), entry.candidate.index_name() +
                                                            ": no finding on " + entry.table +
                                                            " and no HypoPG to cost it"});
      continue;
    }
    rec.validated = false;
    rec.confidence = unvalidated_confidence;
    rec.estimate.improvement = share;
    rec.rationale = "An index on " + entry.table + " serves " + reasons_text(entry.candidate) +
                    ". Not validated: HypoPG is not available on this database, so the benefit is inferred from "
                    "the plan alone.";
    double calls = 0;
    for (const auto& ref : rec.queries)
      calls += ref.calls;
    rec.score = calls * share * rec.confidence;
    report.recommendations.push_back(std::move(rec));
  }
}

std::optional<double> ms_saved_per_day(const std::vector<model::QueryRef>& refs, double window_seconds)
{
  if (window_seconds <= 0)
    return std::nullopt;
  double saved = 0;
  for (const auto& ref : refs) {
    if (!ref.mean_ms || !ref.cost_before || !ref.cost_after || *ref.cost_before <= 0)
      return std::nullopt;
    const double calls_per_day = ref.calls * 86400.0 / window_seconds;
    saved += calls_per_day * *ref.mean_ms * (1 - *ref.cost_after / *ref.cost_before);
  }
  return saved;
}

void add_rejected(WorkloadReport& report, model::RejectedCandidate rejected)
{
  for (const auto& existing : report.rejected)
    if (existing.statement == rejected.statement && existing.reason == rejected.reason)
      return;
  report.rejected.push_back(std::move(rejected));
}

}  // namespace

void choose_workload_indexes(connectors::pg::Session& session, const std::vector<AdvisedQuery>& queries,
                             const model::Catalog& catalog, const WorkloadSettings& settings, double window_seconds,
                             WorkloadReport& report)
{
  std::vector<PoolEntry> pool;
  std::vector<std::pair<heuristics::IndexCandidate, std::size_t>> unsupported;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    auto set = heuristics::generate_candidate_set(queries[q].info.shape, catalog);
    for (auto& [candidate, reason] : set.rejected)
      add_rejected(report, {candidate.ddl(), candidate.index_name() + ": " + reason});
    for (auto& candidate : set.candidates) {
      const auto* table = catalog.find(candidate.schema, candidate.table);
      if (table) {
        if (auto existing = heuristics::covering_index(candidate, *table)) {
          add_rejected(report, {candidate.ddl(), candidate.index_name() + ": already covered by the existing index " + *existing});
          continue;
        }
        if (auto misfit = heuristics::partial_misfit(candidate, *table)) {
          add_rejected(report, {candidate.ddl(), candidate.index_name() + ": " + *misfit});
          continue;
        }
        if (auto served = keys_already_served(candidate, *table)) {
          add_rejected(report, {candidate.ddl(), candidate.index_name() + ": " + *served});
          continue;
        }
      }
      if (!candidate.hypopg_supported())
        unsupported.emplace_back(std::move(candidate), q);
      else
        add_to_pool(pool, std::move(candidate), q);
    }
  }
  std::vector<heuristics::IndexCandidate> plain;
  for (const auto& entry : pool)
    plain.push_back(entry.candidate);
  for (auto& merged : heuristics::merge_candidates(plain, settings.merge_limit))
    pool.push_back({merged, table_of(merged), {}});
  report.candidates_considered = pool.size() + unsupported.size();

  for (const auto& query : queries) {
    report.total_cost_before += query.statement.calls * query.planned.explained.plan.root.total_cost;
    report.queries[query.report_index].cost_before = query.planned.explained.plan.root.total_cost;
  }
  report.total_cost_after = report.total_cost_before;
  advise_unsupported(unsupported, queries, catalog, settings, report);

  connectors::pg::WhatIfSession what_if(session);
  report.validated = what_if.available();
  if (!what_if.available()) {
    advise_without_hypopg(pool, queries, report);
    return;
  }

  // Sizes first: a candidate HypoPG refuses is reported, never silently lost.
  std::vector<heuristics::SelectionCandidate> candidates;
  std::vector<std::string> ddl;
  std::int64_t tables_bytes = 0;
  for (const auto& table : catalog.tables)
    tables_bytes += table.size_bytes;
  report.budget_bytes = settings.budget_bytes ? *settings.budget_bytes
                                              : static_cast<std::int64_t>(settings.budget_fraction * tables_bytes);
  // Table counters count since the statistics reset; they price maintenance only when
  // pg_stat_statements has been counting for at least as long (same window, same writes).
  bool activity_window = false;
  if (window_seconds > 0) {
    auto stats_window = connectors::pg::stats_window_seconds(session);
    activity_window = stats_window && stats_window->has_value() && **stats_window <= window_seconds;
  }
  for (const auto& entry : pool) {
    auto size = what_if.index_size(entry.candidate.hypothetical_ddl());
    if (!size) {
      report.rejected.push_back({entry.candidate.ddl(), entry.candidate.index_name() + ": HypoPG could not build it: " + size.error().message});
      continue;
    }
    const double writes = rows_written(entry.table, queries, catalog, activity_window);
    candidates.push_back({entry.candidate, entry.table, *size, writes * settings.index_write_cost});
    ddl.push_back(entry.candidate.hypothetical_ddl());
  }

  std::vector<heuristics::WorkloadQueryInfo> infos;
  for (const auto& query : queries)
    infos.push_back({query.info.fingerprint.hex, query.statement.calls, query.tables});
  const heuristics::WhatIfCost cost = [&](std::size_t q, const std::vector<std::size_t>& present) -> std::optional<double> {
    std::vector<std::string> statements;
    for (std::size_t c : present)
      statements.push_back(ddl[c]);
    auto result = what_if.cost_with(queries[q].planned.sql, statements);
    if (!result) {
      report.notes.push_back("what-if costing failed for query " + queries[q].info.fingerprint.hex + ": " +
                             result.error().message);
      return std::nullopt;
    }
    return result->cost;
  };
  heuristics::WorkloadSelectionSettings selection_settings;
  selection_settings.budget_bytes = report.budget_bytes;
  selection_settings.max_per_table = settings.max_per_table;
  selection_settings.min_improvement = settings.analysis.selection.min_improvement;
  const auto selection = heuristics::select_for_workload(infos, candidates, cost, selection_settings);

  report.what_if_calls = selection.what_if_calls;
  report.notes.insert(report.notes.end(), selection.notes.begin(), selection.notes.end());
  report.total_cost_before = selection.total_without;
  report.total_cost_after = selection.total_with;
  report.recommended_bytes = selection.chosen_bytes;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    report.queries[queries[q].report_index].cost_before = selection.cost_without[q];
    report.queries[queries[q].report_index].cost_after = selection.cost_with[q];
  }
  for (const auto& dropped : selection.dropped) {
    const auto& candidate = candidates[dropped.candidate];
    report.rejected.push_back({candidate.candidate.ddl(), candidate.candidate.index_name() + " (" +
                                                              heuristics::format_bytes(candidate.bytes) + "): " +
                                                              dropped.reason});
  }
  for (const auto& chosen : selection.chosen) {
    const auto& candidate = candidates[chosen.candidate];
    auto rec = base_recommendation(report.target, candidate.candidate);
    rec.validated = true;
    rec.confidence = validated_confidence;
    double before = 0;
    double after = 0;
    for (const auto& gain : chosen.queries) {
      auto ref = query_ref(queries[gain.query]);
      ref.cost_before = gain.cost_without;
      ref.cost_after = gain.cost_with;
      before += ref.calls * gain.cost_without;
      after += ref.calls * gain.cost_with;
      rec.queries.push_back(std::move(ref));
    }
    rec.estimate.cost_before = before;
    rec.estimate.cost_after = after;
    rec.estimate.improvement = before > 0 ? 1 - after / before : 0;
    rec.estimate.index_bytes = candidate.bytes;
    rec.estimate.ms_saved_per_day = ms_saved_per_day(rec.queries, window_seconds);
    rec.risk = candidate.bytes > low_risk_index_bytes ? "medium" : "low";
    rec.rationale = "An index on " + candidate.table + " (" + reasons_text(candidate.candidate) + ") serves " +
                    std::to_string(rec.queries.size()) + (rec.queries.size() == 1 ? " query" : " queries") +
                    " of the workload: with it as a hypothetical index (HypoPG), and the other recommended indexes "
                    "present, their cost weighted by calls falls from " + heuristics::format_number(before) + " to " +
                    heuristics::format_number(after) + " (" + heuristics::format_percent(*rec.estimate.improvement) +
                    " cheaper); it would take about " + heuristics::format_bytes(candidate.bytes) + ".";
    if (candidate.maintenance_cost > 0)
      rec.rationale += " The workload's writes would spend about " + heuristics::format_number(candidate.maintenance_cost) +
                       " cost units maintaining it, already deducted.";
    rec.score = chosen.benefit * rec.confidence;
    report.recommendations.push_back(std::move(rec));
  }
}

}  // namespace advisor
