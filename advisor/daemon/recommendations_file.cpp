#include "advisor/daemon/recommendations_file.hpp"

#include <map>

#include "heuristics/triage/score.hpp"

#include "connectors/clock.hpp"
#include "connectors/sinks/json_file.hpp"
#include "connectors/store/recommendation_store.hpp"

namespace advisor::daemon {

namespace {

bool is_live(const std::string& status)
{
  return status == "open" || status == "applied" || status == "verified" || status == "no_effect" ||
         status == "regressed";
}

}  // namespace

model::Result<nlohmann::ordered_json> recommendations_document(connectors::store::HistoryStore& store,
                                                               const std::vector<TargetStatus>& targets,
                                                               const std::string& generated_at)
{
  auto stored = connectors::store::list_recommendations(store.database());
  if (!stored)
    return stored.error();
  nlohmann::ordered_json document;
  document["schema_version"] = 1;
  document["generated_at"] = generated_at;
  nlohmann::ordered_json target_list = nlohmann::ordered_json::array();
  for (const auto& target : targets)
    target_list.push_back({{"name", target.name},
                           {"state", target.up ? "up" : "down"},
                           {"last_cycle", target.last_cycle ? nlohmann::ordered_json(*target.last_cycle)
                                                            : nlohmann::ordered_json(nullptr)}});
  document["targets"] = target_list;
  // Triage's ranking across every target: score, then the lower risk first on a tie.
  std::map<std::string, nlohmann::ordered_json> documents;  // by id
  std::vector<heuristics::triage::TriageItem> items;
  for (const auto& r : *stored) {
    if (!is_live(r.status))
      continue;
    auto json = nlohmann::ordered_json::parse(r.document, nullptr, false);
    if (json.is_discarded() || !json.is_object())
      continue;  // a damaged row must not cost the whole file
    heuristics::triage::TriageItem item;
    item.target = r.target;
    item.id = r.id;
    item.ms_saved_per_day = r.score;  // already ms saved per day × confidence
    item.confidence = 1;
    const std::string risk = json.value("risk", std::string("high"));
    item.risk = risk == "low" ? heuristics::triage::Risk::low
                : risk == "medium" ? heuristics::triage::Risk::medium : heuristics::triage::Risk::high;
    items.push_back(std::move(item));
    documents[r.id] = std::move(json);
  }
  nlohmann::ordered_json recommendations = nlohmann::ordered_json::array();
  for (const auto& ranked : heuristics::triage::rank(items)) {
    auto& json = documents.at(ranked.item.id);
    json["rank"] = ranked.rank;
    recommendations.push_back(std::move(json));
  }
  document["recommendations"] = recommendations;
  return document;
}

std::optional<model::Error> write_recommendations_file(connectors::store::HistoryStore& store,
                                                       const std::vector<TargetStatus>& targets,
                                                       const std::string& path)
{
  auto document = recommendations_document(store, targets, connectors::utc_now_iso8601());
  if (!document)
    return document.error();
  return connectors::sinks::write_file_atomically(path, document->dump(2) + "\n");
}

}  // namespace advisor::daemon
