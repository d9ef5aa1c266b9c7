#include "advisor/render_json.hpp"

#include "heuristics/plan_summary.hpp"

namespace advisor {

namespace {

using Json = nlohmann::ordered_json;

template <typename T>
Json optional_value(const std::optional<T>& value)
{
  return value ? Json(*value) : Json(nullptr);
}

Json parse_or_null(const std::string& text)
{
  if (text.empty())
    return nullptr;
  return Json::parse(text, nullptr, false);  // a discarded value renders as null
}

Json plan_summary_json(const model::Plan& plan)
{
  Json nodes = Json::array();
  for (const auto& node : heuristics::top_nodes(plan, 5)) {
    nodes.push_back({{"node", node.label},
                     {"exclusive_ms", node.exclusive_ms},
                     {"share", node.share},
                     {"actual_rows", optional_value(node.actual_rows)},
                     {"estimated_rows", node.estimated_rows},
                     {"loops", node.loops},
                     {"shared_hit_blocks", node.shared_hit},
                     {"shared_read_blocks", node.shared_read}});
  }
  return {{"analyzed", plan.analyzed},
          {"planning_ms", optional_value(plan.planning_ms)},
          {"execution_ms", optional_value(plan.execution_ms)},
          {"total_cost", plan.root.total_cost},
          {"top_nodes", nodes}};
}

}  // namespace

Json finding_to_json(const model::Finding& finding)
{
  Json evidence = Json::array();
  for (const auto& item : finding.evidence)
    evidence.push_back({{"name", item.name}, {"value", item.value}, {"unit", item.unit}});
  return {{"id", finding.rule_id},
          {"title", finding.title},
          {"location", finding.location},
          {"relation", finding.relation},
          {"time_share", finding.time_share},
          {"evidence", evidence},
          {"advice", finding.advice}};
}

Json recommendation_to_json(const model::Recommendation& recommendation, const Json& plan_before)
{
  Json queries = Json::array();
  for (const auto& query : recommendation.queries)
    queries.push_back({{"fingerprint", query.fingerprint},
                       {"normalized", query.normalized},
                       {"calls", query.calls},
                       {"mean_ms", optional_value(query.mean_ms)},
                       {"total_ms", optional_value(query.total_ms)},
                       {"cost_before", optional_value(query.cost_before)},
                       {"cost_after", optional_value(query.cost_after)}});
  Json findings = Json::array();
  for (const auto& finding : recommendation.findings)
    findings.push_back(finding_to_json(finding));
  const auto& estimate = recommendation.estimate;
  return {{"id", recommendation.id},
          {"target", recommendation.target},
          {"kind", model::to_string(recommendation.kind)},
          {"statement", recommendation.statement},
          {"rationale", recommendation.rationale},
          {"queries", queries},
          {"estimate",
           {{"cost_before", optional_value(estimate.cost_before)},
            {"cost_after", optional_value(estimate.cost_after)},
            {"improvement", optional_value(estimate.improvement)},
            {"ms_saved_per_day", optional_value(estimate.ms_saved_per_day)},
            {"index_bytes", optional_value(estimate.index_bytes)}}},
          {"score", recommendation.score},
          {"rank", recommendation.rank},
          {"confidence", recommendation.confidence},
          {"risk", recommendation.risk},
          {"status", recommendation.status},
          {"validated", recommendation.validated},
          {"first_seen", recommendation.first_seen},
          {"last_seen", recommendation.last_seen},
          {"trace",
           {{"findings", findings},
            {"plan_before", plan_before},
            {"plan_after", parse_or_null(recommendation.plan_after_json)},
            {"samples", Json::array()},
            {"hypotheses", Json::array()}}}};
}

Json rejected_to_json(const std::vector<model::RejectedCandidate>& rejected)
{
  Json out = Json::array();
  for (const auto& candidate : rejected)
    out.push_back({{"statement", candidate.statement}, {"reason", candidate.reason}});
  return out;
}

Json report_to_json(const AnalysisReport& report, bool verbose)
{
  Json document;
  document["schema_version"] = 1;
  document["generated_at"] = report.generated_at;
  document["target"] = report.target;
  if (report.query)
    document["query"] = {{"fingerprint", report.query->fingerprint.hex},
                         {"normalized", report.query->normalized}};
  else
    document["query"] = nullptr;

  Json plan_before = nullptr;
  if (report.plan) {
    plan_before = parse_or_null(report.plan->json);
    Json plan = plan_summary_json(*report.plan);
    plan["generic"] = report.generic_plan;
    plan["explain"] = plan_before;
    document["plan"] = plan;
  } else {
    document["plan"] = nullptr;
  }

  Json findings = Json::array();
  for (const auto& finding : report.findings)
    findings.push_back(finding_to_json(finding));
  document["findings"] = findings;

  add_recommendations_and_notes(document, report.recommendations, plan_before, report.notes, report.rejected, verbose);
  return document;
}

void add_recommendations_and_notes(Json& document, const std::vector<model::Recommendation>& recommendations,
                                   const Json& plan_before, const std::vector<std::string>& notes,
                                   const std::vector<model::RejectedCandidate>& rejected, bool verbose)
{
  Json items = Json::array();
  for (const auto& recommendation : recommendations)
    items.push_back(recommendation_to_json(recommendation, plan_before));
  document["recommendations"] = items;
  document["notes"] = notes;
  if (verbose)
    document["rejected"] = rejected_to_json(rejected);
}

}  // namespace advisor
