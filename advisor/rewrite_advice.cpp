#include "advisor/rewrite_advice.hpp"

#include <algorithm>

#include "connectors/postgres/explain_runner.hpp"
#include "heuristics/index_selection.hpp"
#include "heuristics/number_format.hpp"

namespace advisor {

namespace {

constexpr double costed_rewrite_confidence = 0.7;
constexpr double uncosted_rewrite_confidence = 0.4;
//! drop_index scores are maintenance saved; an INVALID or duplicate index is at least worth this.
constexpr double minimum_drop_score = 1;

}  // namespace

std::vector<model::Recommendation> rewrite_recommendations(connectors::pg::Session& session,
                                                           const std::string& target,
                                                           const std::vector<RewriteSource>& sources,
                                                           std::vector<std::string>& notes)
{
  std::vector<model::Recommendation> out;
  for (const auto& source : sources) {
    for (const auto& finding : source.findings) {
      if (finding.rewritten_sql.empty())
        continue;
      const std::string statement = finding.rewritten_sql;
      if (std::any_of(out.begin(), out.end(), [&](const auto& rec) { return rec.statement == statement; }))
        continue;
      model::Recommendation rec;
      rec.target = target;
      rec.kind = model::RecommendationKind::rewrite;
      rec.statement = statement;
      rec.id = heuristics::recommendation_id(target, model::to_string(rec.kind), statement);
      rec.findings.push_back(finding);
      model::QueryRef ref = source.query;
      ref.cost_before = source.cost_before;
      connectors::pg::ExplainRequest request;
      request.sql = statement;
      request.allow_analyze = false;
      auto explained = connectors::pg::explain(session, request);
      rec.rationale = finding.title + ". " + finding.advice;
      if (explained) {
        const double after = explained->plan.root.total_cost;
        ref.cost_after = after;
        rec.estimate.cost_before = ref.calls * source.cost_before;
        rec.estimate.cost_after = ref.calls * after;
        rec.estimate.improvement = source.cost_before > 0 ? 1 - after / source.cost_before : 0;
        rec.confidence = costed_rewrite_confidence;
        rec.score = std::max(0.0, ref.calls * (source.cost_before - after)) * rec.confidence;
        rec.rationale += " Planned as rewritten, the cost per call goes from " +
                         heuristics::format_number(source.cost_before) + " to " + heuristics::format_number(after) + ".";
      } else {
        rec.confidence = uncosted_rewrite_confidence;
        rec.score = ref.calls * source.cost_before * finding.time_share * rec.confidence;
        notes.push_back("the rewrite of query " + ref.fingerprint + " could not be planned: " + explained.error().message);
      }
      rec.risk = "medium";  // a rewrite changes application code; results must be checked
      rec.queries.push_back(std::move(ref));
      out.push_back(std::move(rec));
    }
  }
  return out;
}

std::vector<model::Recommendation> existing_index_recommendations(const std::string& target,
                                                                  const std::vector<heuristics::ExistingIndexAdvice>& advice,
                                                                  double index_write_cost)
{
  std::vector<model::Recommendation> out;
  for (const auto& item : advice) {
    model::Recommendation rec;
    rec.target = target;
    rec.kind = model::RecommendationKind::drop_index;
    rec.statement = item.statement;
    rec.id = heuristics::recommendation_id(target, model::to_string(rec.kind), rec.statement);
    rec.rationale = item.reason;
    rec.confidence = item.confidence;
    rec.estimate.index_bytes = item.bytes;
    rec.risk = item.issue == heuristics::ExistingIndexIssue::unused ? "medium" : "low";
    model::Finding finding;
    finding.rule_id = std::string("existing_index_") + heuristics::to_string(item.issue);
    finding.title = item.reason;
    finding.location = item.schema + "." + item.index;
    finding.relation = item.schema + "." + item.table;
    finding.evidence.push_back({"index_size", static_cast<double>(item.bytes), "bytes"});
    if (item.rows_written)
      finding.evidence.push_back({"rows_written", *item.rows_written, "rows"});
    rec.findings.push_back(std::move(finding));
    rec.score = std::max(minimum_drop_score, item.rows_written.value_or(0) * index_write_cost) * rec.confidence;
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace advisor
