#pragma once
// Verify, in the daemon: for every applied recommendation of a target, the work of the
// statements it was for before and after it was applied (the store's windows on each side of
// applied_at), plus the write statements on the same table, judged by
// heuristics::verification. Reads the store only; the caller records the outcomes.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advisor/config/config.hpp"
#include "connectors/store/history_store.hpp"
#include "connectors/store/store_types.hpp"
#include "heuristics/verification.hpp"

namespace advisor::daemon {

heuristics::verification::VerificationOptions verification_options(const config::Config& config);

struct VerificationResult {
  connectors::store::StoredRecommendation recommendation;
  heuristics::verification::Verification verification;
};

//! The applied recommendations of `target` that can be decided now (pending ones are left out).
//! Store errors leave the recommendation for the next cycle.
std::vector<VerificationResult> verify_applied(connectors::store::HistoryStore& store, const std::string& target,
                                               const std::vector<connectors::store::StoredRecommendation>& applied,
                                               const heuristics::verification::VerificationOptions& options);

//! The numbers of a verification, for the recommendation's "verification" field and the event.
nlohmann::ordered_json verification_to_json(const heuristics::verification::Verification& verification);

//! The status a decided verification gives: "verified", "no_effect" or "regressed".
std::string verification_status(heuristics::verification::Outcome outcome);

}  // namespace advisor::daemon
