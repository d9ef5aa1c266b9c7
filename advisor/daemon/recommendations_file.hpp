#pragma once
// The recommendations file of DESIGN.md's contract: one JSON document with schema_version,
// generated_at, the targets, and the live recommendations (open, applied, verified,
// regressed) sorted by rank. Built from the store, so it holds every filed recommendation,
// not only this cycle's.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connectors/store/history_store.hpp"
#include "model/result.hpp"

namespace advisor::daemon {

struct TargetStatus {
  std::string name;
  bool up = false;
  std::optional<double> last_cycle;  //!< Unix seconds of its last complete cycle
};

//! The document. Ranks are 1..n by score; dismissed and resolved recommendations are left out.
model::Result<nlohmann::ordered_json> recommendations_document(connectors::store::HistoryStore& store,
                                                               const std::vector<TargetStatus>& targets,
                                                               const std::string& generated_at);

//! Writes the document to `path` atomically (mode 0600).
std::optional<model::Error> write_recommendations_file(connectors::store::HistoryStore& store,
                                                       const std::vector<TargetStatus>& targets,
                                                       const std::string& path);

}  // namespace advisor::daemon
