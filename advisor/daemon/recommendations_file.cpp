#include "advisor/daemon/recommendations_file.hpp"

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
  nlohmann::ordered_json recommendations = nlohmann::ordered_json::array();
  int rank = 0;
  for (const auto& r : *stored) {  // best score first
    if (!is_live(r.status))
      continue;
    auto json = nlohmann::ordered_json::parse(r.document, nullptr, false);
    if (json.is_discarded() || !json.is_object())
      continue;  // a damaged row must not cost the whole file
    json["rank"] = ++rank;
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
