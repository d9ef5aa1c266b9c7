#include "advisor/index_advice.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "heuristics/number_format.hpp"
#include "connectors/postgres/hypopg_session.hpp"
#include "heuristics/identifiers.hpp"
#include "heuristics/index_candidates.hpp"
#include "heuristics/index_selection.hpp"

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

std::string column_list(const heuristics::IndexCandidate& candidate)
{
  std::string out;
  for (std::size_t i = 0; i < candidate.columns.size(); ++i) {
    if (i)
      out += ", ";
    out += candidate.columns[i];
    if (i < candidate.descending.size() && candidate.descending[i])
      out += " DESC";
  }
  return out;
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
                      const heuristics::CandidateEvaluation* evaluation)
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
                                          std::optional<double> observed_ms)
{
  model::Recommendation recommendation;
  recommendation.target = target;
  recommendation.kind = model::RecommendationKind::create_index;
  recommendation.statement = candidate.ddl() + ";";
  recommendation.id = heuristics::recommendation_id(target, model::to_string(recommendation.kind),
                                                    recommendation.statement);
  recommendation.findings = findings_on(findings, candidate);
  recommendation.rationale = rationale(candidate, recommendation.findings, evaluation);

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

}  // namespace

IndexAdvice advise_indexes(connectors::pg::Session& session, const std::string& target,
                           const std::string& sql, const parser::QueryInfo& query,
                           const model::Catalog& catalog, const std::vector<model::Finding>& findings,
                           std::optional<double> observed_ms, const AnalysisSettings& settings)
{
  IndexAdvice advice;
  std::vector<heuristics::IndexCandidate> candidates;
  for (auto& candidate : heuristics::generate_index_candidates(query.shape, catalog)) {
    const model::TableInfo* table = catalog.find(candidate.schema, candidate.table);
    if (table) {
      if (auto existing = heuristics::covering_index(candidate, *table)) {
        advice.rejected.push_back({candidate.ddl(), "(" + column_list(candidate) +
                                                        "): already covered by " + *existing});
        continue;
      }
    }
    candidates.push_back(std::move(candidate));
  }
  if (candidates.empty())
    return advice;

  connectors::pg::WhatIfSession what_if(session);
  if (!what_if.available()) {
    advice.notes.push_back("HypoPG is not installed in this database: index advice is not validated "
                           "(lower confidence); CREATE EXTENSION hypopg to validate it");
    // Only candidates that a finding points at: without costs, an index no rule asked for
    // is a guess.
    for (const auto& candidate : candidates) {
      if (findings_on(findings, candidate).empty()) {
        advice.rejected.push_back({candidate.ddl(), "(" + column_list(candidate) +
                                                        "): no finding on this table and no HypoPG to cost it"});
        continue;
      }
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
