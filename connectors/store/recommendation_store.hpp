#pragma once
// Recommendations in the history store: filed by stable id, with their status lifecycle
// (open → applied → verified | no_effect | regressed; open → resolved | dismissed; resolved,
// applied, verified, no_effect → open when filed again).

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

//! Sets status applied and the time it was applied (the before/after split of verification).
model::Result<bool> mark_applied(Database& db, const std::string& id, double applied_at, const std::string& now_iso);

//! Sets the verification's outcome (verified, no_effect, regressed) and its numbers, which the
//! document carries as "verification".
model::Result<bool> record_verification(Database& db, const std::string& id, const std::string& status,
                                        const std::string& verification_json, const std::string& now_iso);

//! One recommendation by id; nullopt when there is none.
model::Result<std::optional<StoredRecommendation>> find_recommendation(Database& db, const std::string& id);

//! True for the statuses a recommendation leaves for open when it is filed again.
bool comes_back_open(const std::string& status);

//! Recommendations, best score first; `status` empty: all; `target` empty: every target.
model::Result<std::vector<StoredRecommendation>> list_recommendations(Database& db, const std::string& status = {},
                                                                      const std::string& target = {});

}  // namespace connectors::store
