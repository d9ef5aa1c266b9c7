#include "advisor/workload_render.hpp"

#include <ostream>

#include "advisor/render_json.hpp"
#include "advisor/render_text.hpp"
#include "heuristics/number_format.hpp"

namespace advisor {

namespace {

using Json = nlohmann::ordered_json;

std::string shortened(const std::string& sql, std::size_t limit = 100)
{
  std::string flat;
  for (char c : sql)
    flat += (c == '\n' || c == '\t') ? ' ' : c;
  return flat.size() <= limit ? flat : flat.substr(0, limit - 3) + "...";
}

template <typename T>
Json optional_value(const std::optional<T>& value)
{
  return value ? Json(*value) : Json(nullptr);
}

void render_summary(const WorkloadReport& report, std::ostream& out)
{
  out << "Workload " << report.source << " on " << report.target << ": " << report.queries.size() << " statements advised, "
      << report.skipped.size() << " skipped\n";
  if (report.total_cost_before > 0) {
    out << "  cost (calls x plan cost) " << heuristics::format_number(report.total_cost_before) << " -> "
        << heuristics::format_number(report.total_cost_after) << " with the recommended indexes ("
        << heuristics::format_percent(1 - report.total_cost_after / report.total_cost_before) << " cheaper)\n";
  }
  if (report.validated)
    out << "  new indexes " << heuristics::format_bytes(report.recommended_bytes) << " of a "
        << heuristics::format_bytes(report.budget_bytes) << " budget; " << report.candidates_considered
        << " candidates, " << report.what_if_calls << " what-if calls, " << heuristics::format_ms(report.elapsed_ms)
        << "\n";
  out << "\n";
}

void render_queries(const WorkloadReport& report, bool verbose, std::ostream& out)
{
  out << "Queries\n";
  for (const auto& query : report.queries) {
    out << "  " << query.fingerprint << (query.line ? "  line " + std::to_string(query.line) : "") << "  calls "
        << heuristics::format_number(query.calls);
    if (query.cost_before)
      out << "  cost " << heuristics::format_number(*query.cost_before);
    if (query.cost_before && query.cost_after && *query.cost_after < *query.cost_before)
      out << " -> " << heuristics::format_number(*query.cost_after);
    out << "  plan: " << to_string(query.plan_source) << "\n    " << shortened(query.normalized) << "\n";
    if (verbose || query.plan_source != PlanSource::literal)
      for (const auto& note : query.planning_notes)
        out << "    - " << note << "\n";
  }
  if (!report.skipped.empty()) {
    out << "\nSkipped statements\n";
    for (const auto& skipped : report.skipped)
      out << "  " << (skipped.line ? "line " + std::to_string(skipped.line) + ": " : std::string()) << skipped.reason
          << "\n    " << shortened(skipped.sql) << "\n";
  }
  out << "\n";
}

void render_recommendation(const model::Recommendation& rec, std::ostream& out)
{
  const auto& estimate = rec.estimate;
  out << "  " << rec.rank << ". [" << model::to_string(rec.kind) << "] " << rec.statement << "\n     ";
  if (estimate.cost_before && estimate.cost_after)
    out << "cost " << heuristics::format_number(*estimate.cost_before) << " -> "
        << heuristics::format_number(*estimate.cost_after) << " ("
        << heuristics::format_percent(estimate.improvement.value_or(0)) << " cheaper), ";
  if (estimate.index_bytes)
    out << "index " << heuristics::format_bytes(*estimate.index_bytes) << ", ";
  if (estimate.ms_saved_per_day)
    out << heuristics::format_ms(*estimate.ms_saved_per_day) << " saved per day, ";
  out << (rec.validated ? "validated with HypoPG" : "not validated") << ", confidence "
      << heuristics::format_percent(rec.confidence) << ", risk " << rec.risk << "\n     " << rec.rationale << "\n";
  for (const auto& query : rec.queries) {
    out << "       serves " << query.fingerprint << " x" << heuristics::format_number(query.calls);
    if (query.cost_before && query.cost_after)
      out << ": " << heuristics::format_number(*query.cost_before) << " -> " << heuristics::format_number(*query.cost_after);
    out << "  " << shortened(query.normalized, 70) << "\n";
  }
  out << "     id " << rec.id << "\n";
}

}  // namespace

void render_workload_text(const WorkloadReport& report, bool verbose, std::ostream& out)
{
  render_summary(report, out);
  render_queries(report, verbose, out);
  render_recommendations_section(report.recommendations, out, render_recommendation);
  render_rejected_and_notes(report.rejected, "Dropped candidates", report.notes, verbose, out);
}

Json workload_to_json(const WorkloadReport& report, bool verbose)
{
  Json document;
  document["schema_version"] = 1;
  document["generated_at"] = report.generated_at;
  document["target"] = report.target;
  document["source"] = report.source;
  document["summary"] = {{"statements", report.queries.size()},
                         {"skipped", report.skipped.size()},
                         {"validated", report.validated},
                         {"cost_before", report.total_cost_before},
                         {"cost_after", report.total_cost_after},
                         {"budget_bytes", report.budget_bytes},
                         {"recommended_bytes", report.recommended_bytes},
                         {"candidates", report.candidates_considered},
                         {"what_if_calls", report.what_if_calls},
                         {"elapsed_ms", report.elapsed_ms}};
  Json queries = Json::array();
  for (const auto& query : report.queries) {
    Json findings = Json::array();
    for (const auto& finding : query.findings)
      findings.push_back(finding_to_json(finding));
    queries.push_back({{"fingerprint", query.fingerprint},
                       {"normalized", query.normalized},
                       {"planned_sql", query.planned_sql},
                       {"line", query.line},
                       {"calls", query.calls},
                       {"mean_ms", optional_value(query.mean_ms)},
                       {"plan", to_string(query.plan_source)},
                       {"planning_notes", query.planning_notes},
                       {"cost_before", optional_value(query.cost_before)},
                       {"cost_after", optional_value(query.cost_after)},
                       {"findings", findings}});
  }
  document["queries"] = queries;
  Json skipped = Json::array();
  for (const auto& item : report.skipped)
    skipped.push_back({{"line", item.line}, {"statement", item.sql}, {"reason", item.reason}});
  document["skipped"] = skipped;
  add_recommendations_and_notes(document, report.recommendations, nullptr, report.notes, report.rejected, verbose);
  return document;
}

}  // namespace advisor
