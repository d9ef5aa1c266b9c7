#include "advisor/statistics_advice.hpp"

#include <algorithm>

#include "heuristics/index_selection.hpp"
#include "parser/query.hpp"

namespace advisor {

namespace {

//! A fresh sample does not always change the plan: the estimate is an upper bound.
constexpr double analyze_confidence = 0.5;

}  // namespace

std::vector<model::Recommendation> analyze_recommendations(const std::string& target, const model::QueryRef& query,
                                                           const std::vector<model::Finding>& findings)
{
  std::vector<model::Recommendation> out;
  for (const auto& finding : findings) {
    if (finding.rule_id != "stale_statistics" || finding.relation.empty())
      continue;
    const std::string statement = "ANALYZE " + finding.relation + ";";
    if (std::any_of(out.begin(), out.end(), [&](const auto& r) { return r.statement == statement; }))
      continue;
    model::Recommendation rec;
    rec.target = target;
    rec.kind = model::RecommendationKind::analyze;
    rec.statement = statement;
    rec.id = heuristics::recommendation_id(target, model::to_string(rec.kind), statement);
    rec.rationale = finding.title + ". At most the time of the plan nodes that read it is at stake (" +
                    std::to_string(static_cast<int>(finding.time_share * 100 + 0.5)) +
                    " % of the query's time); ANALYZE reads a sample and takes no lock that blocks reads or writes.";
    rec.findings.push_back(finding);
    rec.queries.push_back(query);
    rec.estimate.improvement = std::clamp(finding.time_share, 0.0, 1.0);
    rec.confidence = analyze_confidence;
    rec.score = query.total_ms.value_or(1.0) * *rec.estimate.improvement * rec.confidence;
    rec.risk = "low";
    out.push_back(std::move(rec));
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> analyzed_table(const std::string& statement)
{
  auto parsed = parser::parse(statement);
  if (!parsed || parsed->statement_count != 1)
    return std::nullopt;
  const auto& stmt = parsed->tree.at("stmts")[0].value("stmt", nlohmann::json::object());
  if (!stmt.contains("VacuumStmt"))
    return std::nullopt;
  const auto& vacuum = stmt["VacuumStmt"];
  if (vacuum.value("is_vacuumcmd", false))
    return std::nullopt;  // VACUUM, not ANALYZE
  const auto rels = vacuum.value("rels", nlohmann::json::array());
  if (rels.size() != 1)
    return std::nullopt;
  const auto relation = rels[0].value("VacuumRelation", nlohmann::json::object()).value("relation", nlohmann::json::object());
  const std::string name = relation.value("relname", std::string());
  if (name.empty())
    return std::nullopt;
  return std::make_pair(relation.value("schemaname", std::string("public")), name);
}

}  // namespace advisor
