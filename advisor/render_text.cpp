#include "advisor/render_text.hpp"

#include <ostream>

#include "heuristics/number_format.hpp"
#include "heuristics/plan_summary.hpp"

namespace advisor {

namespace {

std::string evidence_value(const model::Evidence& evidence)
{
  if (evidence.unit == "bytes")
    return heuristics::format_bytes(static_cast<std::int64_t>(evidence.value));
  if (evidence.unit == "ms")
    return heuristics::format_ms(evidence.value);
  if (evidence.unit == "ratio" || evidence.unit == "%")
    return heuristics::format_percent(evidence.unit == "%" ? evidence.value / 100 : evidence.value);
  return heuristics::format_number(evidence.value) + (evidence.unit.empty() ? "" : " " + evidence.unit);
}

void render_query(const AnalysisReport& report, std::ostream& out)
{
  if (!report.query)
    return;
  out << "Query " << report.query->fingerprint.hex << "\n  " << report.query->normalized << "\n\n";
}

void render_plan(const AnalysisReport& report, bool verbose, std::ostream& out)
{
  if (!report.plan)
    return;
  const auto& plan = *report.plan;
  out << "Plan  ";
  if (plan.analyzed) {
    out << "EXPLAIN ANALYZE: " << heuristics::format_ms(plan.execution_ms.value_or(0)) << " execution";
    if (plan.planning_ms)
      out << ", " << heuristics::format_ms(*plan.planning_ms) << " planning";
  } else {
    out << (report.generic_plan ? "generic plan (no parameter values)" : "EXPLAIN (not executed)");
  }
  out << ", cost " << heuristics::format_number(plan.root.total_cost) << "\n";

  for (const auto& node : heuristics::top_nodes(plan, verbose ? 20 : 5)) {
    out << "  " << heuristics::format_percent(node.share);
    if (plan.analyzed)
      out << "  " << heuristics::format_ms(node.exclusive_ms);
    out << "  " << node.label;
    if (node.actual_rows)
      out << "  rows " << heuristics::format_number(*node.actual_rows) << " (est. " << heuristics::format_number(node.estimated_rows) << ")";
    else
      out << "  est. rows " << heuristics::format_number(node.estimated_rows);
    if (node.loops > 1)
      out << " x" << heuristics::format_number(node.loops) << " loops";
    if (node.shared_hit || node.shared_read)
      out << "  buffers hit " << heuristics::format_number(static_cast<double>(node.shared_hit)) << " read "
          << heuristics::format_number(static_cast<double>(node.shared_read));
    out << "\n";
  }
  out << "\n";
}

void render_findings(const AnalysisReport& report, std::ostream& out)
{
  if (report.findings.empty()) {
    out << "Findings: none\n\n";
    return;
  }
  out << "Findings\n";
  for (const auto& finding : report.findings) {
    out << "  [" << finding.rule_id << "] " << finding.title;
    if (finding.time_share > 0)
      out << " (" << heuristics::format_percent(finding.time_share) << " of the time)";
    out << "\n    at " << finding.location << "\n    ";
    for (std::size_t i = 0; i < finding.evidence.size(); ++i)
      out << (i ? ", " : "") << finding.evidence[i].name << " " << evidence_value(finding.evidence[i]);
    out << "\n    -> " << finding.advice << "\n";
  }
  out << "\n";
}

void render_recommendation(const model::Recommendation& recommendation, std::ostream& out)
{
  const auto& estimate = recommendation.estimate;
  out << "  " << recommendation.rank << ". " << recommendation.statement << "\n     ";
  if (estimate.cost_before && estimate.cost_after)
    out << "cost " << heuristics::format_number(*estimate.cost_before) << " -> " << heuristics::format_number(*estimate.cost_after)
        << " (" << heuristics::format_percent(estimate.improvement.value_or(0)) << " cheaper)";
  else if (estimate.improvement)
    out << "estimated " << heuristics::format_percent(*estimate.improvement) << " of the time";
  if (estimate.index_bytes)
    out << ", index " << heuristics::format_bytes(*estimate.index_bytes);
  out << ", " << (recommendation.validated ? "validated with HypoPG" : "not validated")
      << ", confidence " << heuristics::format_percent(recommendation.confidence) << ", risk " << recommendation.risk
      << "\n     " << recommendation.rationale << "\n     id " << recommendation.id << "\n";
}

}  // namespace

void render_text(const AnalysisReport& report, bool verbose, std::ostream& out)
{
  render_query(report, out);
  render_plan(report, verbose, out);
  render_findings(report, out);
  render_recommendations_section(report.recommendations, out, render_recommendation);
  render_rejected_and_notes(report.rejected, "Rejected candidates", report.notes, verbose, out);
}

void render_recommendations_section(const std::vector<model::Recommendation>& recommendations, std::ostream& out,
                                    const std::function<void(const model::Recommendation&, std::ostream&)>& render_one)
{
  if (recommendations.empty()) {
    out << "Recommendations: none\n";
    return;
  }
  out << "Recommendations\n";
  for (const auto& recommendation : recommendations)
    render_one(recommendation, out);
}

void render_rejected_and_notes(const std::vector<model::RejectedCandidate>& rejected, const char* rejected_heading,
                               const std::vector<std::string>& notes, bool verbose, std::ostream& out)
{
  if (verbose && !rejected.empty()) {
    out << "\n" << rejected_heading << "\n";
    for (const auto& candidate : rejected)
      out << "  " << candidate.reason << "\n";
  }
  if (!notes.empty()) {
    out << "\nNotes\n";
    for (const auto& note : notes)
      out << "  - " << note << "\n";
  }
}

}  // namespace advisor
