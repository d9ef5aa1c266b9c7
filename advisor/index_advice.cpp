#include "advisor/index_advice.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "heuristics/number_format.hpp"
#include "connectors/postgres/hypopg_session.hpp"
#include "heuristics/identifiers.hpp"
#include "heuristics/index_candidates.hpp"
#include "heuristics/index_selection.hpp"
#include "heuristics/unvalidated_estimate.hpp"

namespace advisor {

namespace {

constexpr double validated_confidence = 0.9;
constexpr double unvalidated_confidence = 0.4;
//! Above this size a new index is a medium-risk change (build time, disk, write cost).
constexpr std::int64_t low_risk_index_bytes = 1LL << 30;

std::string table_name(const heuristics::IndexCandidate& candidate)
{
  return heuristics::qualified_name(candidate.schema, candidate.table);
}

//! The key as a DBA reads it: "lower(email)", "name text_pattern_ops", "created_at DESC",
//! with INCLUDE (…) and WHERE … when present.
std::string column_list(const heuristics::IndexCandidate& candidate)
{
  std::string out;
  for (std::size_t i = 0; i < candidate.columns.size(); ++i) {
    if (i)
      out += ", ";
    out += candidate.columns[i];
    if (!candidate.key_opclass(i).empty())
      out += " " + candidate.key_opclass(i);
    if (i < candidate.descending.size() && candidate.descending[i])
      out += " DESC";
  }
  if (!candidate.include_columns.empty()) {
    out += ") INCLUDE (";
    for (std::size_t i = 0; i < candidate.include_columns.size(); ++i)
      out += (i ? ", " : "") + candidate.include_columns[i];
  }
  // Written to sit inside "(…)": the closing and opening parentheses pair up with the caller's.
  if (!candidate.predicate.empty())
    out += ") WHERE (" + candidate.predicate;
  return out;
}

//! The statement a DBA runs: prerequisites (CREATE EXTENSION pg_trgm) first, then the index.
std::string full_statement(const heuristics::IndexCandidate& candidate)
{
  std::string out;
  for (const auto& prerequisite : candidate.prerequisites)
    out += prerequisite + ";\n";
  return out + candidate.ddl() + ";";
}

std::vector<model::Finding> findings_on(const std::vector<model::Finding>& findings,
                                        const heuristics::IndexCandidate& candidate)
{
  const std::string qualified = candidate.schema + "." + candidate.table;
  std::vector<model::Finding> related;
  for (const auto& finding : findings)
    if (finding.relation == qualified || finding.relation == candidate.table)
      related.push_back(finding);
  return related;
}

//! One paragraph a DBA understands: what the plan does now, what the index changes, how sure.
std::string rationale(const heuristics::IndexCandidate& candidate,
                      const std::vector<model::Finding>& related,
                      const heuristics::CandidateEvaluation* evaluation,
                      const heuristics::UnvalidatedEstimate* estimate)
{
  std::string text;
  if (!related.empty())
    text += related.front().title + ". ";
  text += "An index on " + table_name(candidate) + " (" + column_list(candidate) + ")";
  if (!candidate.reasons.empty()) {
    text += " serves ";
    for (std::size_t i = 0; i < candidate.reasons.size(); ++i)
      text += (i ? "; " : "") + candidate.reasons[i];
  }
  text += ".";
  if (evaluation) {
    const double improvement = 1.0 - evaluation->cost_after / evaluation->cost_before;
    text += " With it as a hypothetical index (HypoPG) the planner's cost for the query falls from " +
            heuristics::format_number(evaluation->cost_before) + " to " + heuristics::format_number(evaluation->cost_after) +
            " (" + heuristics::format_percent(improvement) + " cheaper); the index would take about " +
            heuristics::format_bytes(evaluation->index_bytes) + ".";
  } else if (estimate) {
    text += " Not validated: HypoPG cannot build a " + candidate.access_method + " index, so the benefit is "
            "estimated from the plan: " + estimate->reason + ".";
  } else {
    text += " Not validated: HypoPG is not available on this database, so the benefit is "
            "inferred from the plan alone.";
  }
  return text;
}

model::Recommendation make_recommendation(const std::string& target, const parser::QueryInfo& query,
                                          const heuristics::IndexCandidate& candidate,
                                          const std::vector<model::Finding>& findings,
                                          const heuristics::CandidateEvaluation* evaluation,
                                          std::optional<double> observed_ms,
                                          const heuristics::UnvalidatedEstimate* estimate = nullptr)
{
  model::Recommendation recommendation;
  recommendation.target = target;
  recommendation.kind = model::RecommendationKind::create_index;
  recommendation.statement = full_statement(candidate);
  recommendation.id = heuristics::recommendation_id(target, model::to_string(recommendation.kind),
                                                    recommendation.statement);
  recommendation.findings = findings_on(findings, candidate);
  recommendation.rationale = rationale(candidate, recommendation.findings, evaluation, estimate);

  model::QueryRef ref;
  ref.fingerprint = query.fingerprint.hex;
  ref.normalized = query.normalized;
  ref.calls = 1;
  ref.mean_ms = observed_ms;
  ref.total_ms = observed_ms;
  recommendation.queries.push_back(ref);

  double improvement = 0;
  if (evaluation) {
    improvement = 1.0 - evaluation->cost_after / evaluation->cost_before;
    recommendation.validated = true;
    recommendation.confidence = validated_confidence;
    recommendation.estimate.cost_before = evaluation->cost_before;
    recommendation.estimate.cost_after = evaluation->cost_after;
    recommendation.estimate.improvement = improvement;
    recommendation.estimate.index_bytes = evaluation->index_bytes;
    recommendation.plan_after_json = evaluation->plan_after_json;
    recommendation.risk = evaluation->index_bytes > low_risk_index_bytes ? "medium" : "low";
  } else if (estimate) {
    improvement = estimate->improvement();
    recommendation.confidence = unvalidated_confidence;
    recommendation.estimate.cost_before = estimate->plan_cost_before;
    recommendation.estimate.cost_after = estimate->plan_cost_after;
    recommendation.estimate.improvement = improvement;
    recommendation.risk = "medium";  // GIN: large, slow to build, costly on writes
  } else {
    // Without a what-if plan the share of the query's time the findings explain is the
    // best available guess of the improvement.
    for (const auto& finding : recommendation.findings)
      improvement = std::max(improvement, finding.time_share);
    recommendation.confidence = unvalidated_confidence;
    recommendation.estimate.improvement = improvement;
    recommendation.risk = "low";
  }
  // One-shot score: the milliseconds one call would save (cost ratio applied to the observed
  // time), or the bare improvement when the query was not executed. The daemon weighs by calls.
  recommendation.score = observed_ms ? *observed_ms * improvement * recommendation.confidence
                                     : improvement * recommendation.confidence;
  return recommendation;
}

//! The LIKE/regex pattern a trigram candidate serves, from the query's constants.
std::optional<std::string> search_pattern(const parser::QueryShape& shape, const heuristics::IndexCandidate& candidate)
{
  for (const auto& predicate : shape.predicates) {
    if (!predicate.constant || !predicate.column.table || *predicate.column.table >= shape.tables.size())
      continue;
    const auto& table = shape.tables[*predicate.column.table];
    const bool same_table = table.name == candidate.table && (table.schema.empty() || table.schema == candidate.schema);
    const bool same_column = !candidate.columns.empty() && predicate.column.column == candidate.columns.front();
    if (same_table && same_column)
      return predicate.constant;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> keys_already_served(const heuristics::IndexCandidate& candidate, const model::TableInfo& table)
{
  if (candidate.include_columns.empty())
    return std::nullopt;
  auto keys = candidate;
  keys.include_columns.clear();
  keys.kind = heuristics::CandidateKind::btree;
  if (auto existing = heuristics::covering_index(keys, table))
    return "its keys are already served by " + *existing +
           ": a second index that only adds INCLUDE columns doubles the write cost to save heap fetches";
  return std::nullopt;
}

IndexAdvice advise_indexes(connectors::pg::Session& session, const std::string& target,
                           const std::string& sql, const parser::QueryInfo& query,
                           const model::Catalog& catalog, const std::vector<model::Finding>& findings,
                           const model::Plan* plan, std::optional<double> observed_ms,
                           const AnalysisSettings& settings)
{
  IndexAdvice advice;
  auto generated = heuristics::generate_candidate_set(query.shape, catalog);
  for (const auto& [candidate, reason] : generated.rejected)
    advice.rejected.push_back({candidate.ddl(), "(" + column_list(candidate) + "): " + reason});
  std::vector<heuristics::IndexCandidate> candidates;
  for (auto& candidate : generated.candidates) {
    const model::TableInfo* table = catalog.find(candidate.schema, candidate.table);
    if (table) {
      if (auto existing = heuristics::covering_index(candidate, *table)) {
        advice.rejected.push_back({candidate.ddl(), "(" + column_list(candidate) +
                                                        "): already covered by " + *existing});
        continue;
      }
      if (auto misfit = heuristics::partial_misfit(candidate, *table)) {
        advice.rejected.push_back({candidate.ddl(), candidate.index_name() + ": " + *misfit});
        continue;
      }
      if (auto served = keys_already_served(candidate, *table)) {
        advice.rejected.push_back({candidate.ddl(), candidate.index_name() + ": " + *served});
        continue;
      }
    }
    candidates.push_back(std::move(candidate));
  }
  // HypoPG cannot build GIN: those are estimated from the plan and marked unvalidated.
  std::vector<heuristics::IndexCandidate> simulated;
  for (auto& candidate : candidates) {
    if (candidate.hypopg_supported()) {
      simulated.push_back(std::move(candidate));
      continue;
    }
    const model::TableInfo* table = catalog.find(candidate.schema, candidate.table);
    if (!plan || !table) {
      advice.rejected.push_back({candidate.ddl(), "(" + column_list(candidate) + "): no plan to estimate a " +
                                                      candidate.access_method + " index from"});
      continue;
    }
    const auto estimate = heuristics::estimate_unvalidated(candidate, *plan, *table, search_pattern(query.shape, candidate));
    if (estimate.improvement() < settings.selection.min_improvement) {
      advice.rejected.push_back({candidate.ddl(), "(" + column_list(candidate) + "): estimated " +
                                                      heuristics::format_percent(std::max(estimate.improvement(), 0.0)) +
                                                      " cheaper, below the " +
                                                      heuristics::format_percent(settings.selection.min_improvement) +
                                                      " bar (" + estimate.reason + ")"});
      continue;
    }
    advice.recommendations.push_back(
        make_recommendation(target, query, candidate, findings, nullptr, observed_ms, &estimate));
  }
  candidates = std::move(simulated);
  if (candidates.empty())
    return advice;

  connectors::pg::WhatIfSession what_if(session);
  if (!what_if.available()) {
    advice.notes.push_back("HypoPG is not installed in this database: index advice is not validated "
                           "(lower confidence); CREATE EXTENSION hypopg to validate it");
    // Only candidates that a finding points at: without costs, an index no rule asked for
    // is a guess.
    std::vector<std::string> advised_tables;
    for (const auto& candidate : candidates) {
      const std::string table = table_name(candidate);
      if (std::find(advised_tables.begin(), advised_tables.end(), table) != advised_tables.end()) {
        advice.rejected.push_back({candidate.ddl(), candidate.index_name() +
                                                        ": an alternative for the same table; without HypoPG to "
                                                        "compare them only the first candidate is advised"});
        continue;
      }
      if (findings_on(findings, candidate).empty()) {
        advice.rejected.push_back({candidate.ddl(), "(" + column_list(candidate) +
                                                        "): no finding on this table and no HypoPG to cost it"});
        continue;
      }
      advised_tables.push_back(table);
      advice.recommendations.push_back(
          make_recommendation(target, query, candidate, findings, nullptr, observed_ms));
    }
    return advice;
  }

  std::vector<heuristics::CandidateEvaluation> evaluations;
  for (const auto& candidate : candidates) {
    auto result = what_if.evaluate(sql, {candidate.hypothetical_ddl()});
    if (!result) {
      advice.rejected.push_back({candidate.ddl(), "(" + column_list(candidate) +
                                                      "): what-if evaluation failed: " +
                                                      result.error().message});
      continue;
    }
    heuristics::CandidateEvaluation evaluation;
    evaluation.candidate = candidate;
    evaluation.cost_before = result->cost_before;
    evaluation.cost_after = result->cost_after;
    evaluation.index_bytes = result->index_bytes;
    evaluation.index_used = result->index_used;
    evaluation.plan_after_json = result->plan_after_json;
    evaluations.push_back(std::move(evaluation));
  }

  auto selection = heuristics::select_indexes(std::move(evaluations), settings.selection);
  for (const auto& [candidate, reason] : selection.rejected)
    advice.rejected.push_back({candidate.ddl(), "(" + column_list(candidate) + "): " + reason});

  // The best index is in; each further one must still pay off with the earlier ones present.
  std::vector<std::string> accepted_ddl;
  std::string accepted_names;
  double cost_with_accepted = 0;
  for (const auto& chosen : selection.chosen) {
    const std::string label = "(" + column_list(chosen.candidate) + ")";
    if (!accepted_ddl.empty()) {
      auto ddl = accepted_ddl;
      ddl.push_back(chosen.candidate.hypothetical_ddl());
      auto together = what_if.evaluate(sql, ddl);
      if (!together) {
        advice.rejected.push_back({chosen.candidate.ddl(), label + ": what-if evaluation failed: " +
                                                               together.error().message});
        continue;
      }
      const bool cheaper = together->cost_after < cost_with_accepted;
      if (auto reason = heuristics::marginal_rejection(chosen.candidate, accepted_names, cost_with_accepted,
                                                       together->cost_after, cheaper, settings.selection)) {
        advice.rejected.push_back({chosen.candidate.ddl(), label + ": " + *reason});
        continue;
      }
      cost_with_accepted = together->cost_after;
    } else {
      cost_with_accepted = chosen.cost_after;
    }
    accepted_ddl.push_back(chosen.candidate.hypothetical_ddl());
    accepted_names += (accepted_names.empty() ? "" : " and ") + chosen.candidate.index_name();
    advice.recommendations.push_back(
        make_recommendation(target, query, chosen.candidate, findings, &chosen, observed_ms));
  }
  return advice;
}

}  // namespace advisor
