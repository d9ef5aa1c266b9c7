#pragma once
// Recommendations in the history store: filed by stable id, with their status lifecycle
// (open → applied → verified | regressed; open → resolved | dismissed; resolved → open).

#include <optional>
#include <string>
#include <vector>

#include "connectors/store/sqlite_db.hpp"
#include "connectors/store/store_types.hpp"
#include "model/result.hpp"

namespace connectors::store {

//! Files one recommendation: inserted as open, or its estimates, document and last_seen
//! updated (first_seen kept). A resolved one comes back as open; any other status is kept (a
//! dismissed one is not filed again). Returns the status it has now.
model::Result<std::string> file_recommendation(Database& db, const FiledRecommendation& recommendation,
                                               const std::string& now_iso);

//! Sets the status of one recommendation; false when there is no such id. Errors:
//! invalid_input for a status outside the lifecycle.
model::Result<bool> set_status(Database& db, const std::string& id, const std::string& status,
                               const std::string& now_iso);

//! Recommendations, best score first; `status` empty: all; `target` empty: every target.
model::Result<std::vector<StoredRecommendation>> list_recommendations(Database& db, const std::string& status = {},
                                                                      const std::string& target = {});

}  // namespace connectors::store
