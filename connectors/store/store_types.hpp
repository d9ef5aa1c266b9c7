#pragma once
// Rows of the history store: plain data.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace connectors::store {

//! One fingerprint's work in one sampling window. All figures ≥ 0.
struct WindowRecord {
  std::string target;
  std::string fingerprint;
  double start_at = 0;  //!< Unix seconds
  double end_at = 0;
  double calls = 0;
  double total_ms = 0;
  double mean_ms = 0;
  double stddev_ms = 0;
  double rows = 0;
  double shared_blks_hit = 0;
  double shared_blks_read = 0;
  double temp_blks_read = 0;
  double temp_blks_written = 0;
  bool clean = true;  //!< false: reset/restart inside the window
};

//! An hourly roll-up of windows.
struct HourlyRecord {
  std::string fingerprint;
  double hour = 0;  //!< Unix seconds at the start of the hour
  double calls = 0;
  double total_ms = 0;
  double stddev_ms = 0;
};

//! A recommendation as the daemon files it. `document` is its JSON object (the contract); the
//! store keeps it and updates its status/first_seen/last_seen fields when they change.
struct FiledRecommendation {
  std::string id;
  std::string target;
  std::string kind;
  std::string statement;
  double score = 0;
  double ms_saved_per_day = 0;
  std::vector<std::string> fingerprints;  //!< the daemon's keys of the queries it helps
  std::string document;
};

struct StoredRecommendation {
  std::string id;
  std::string target;
  std::string kind;
  std::string statement;
  std::string status;
  double score = 0;
  double ms_saved_per_day = 0;
  std::vector<std::string> fingerprints;
  std::string document;  //!< with status, first_seen and last_seen up to date
  std::string first_seen;
  std::string last_seen;
  std::string status_changed;
  //! Unix seconds it was applied (by pgadvisor or seen in the catalog); absent before.
  std::optional<double> applied_at;
  std::string verification;  //!< the verification's JSON object; empty until decided
};

struct PlanSighting {
  std::string plan_hash;
  double first_seen_at = 0;
};

struct EventRecord {
  double at = 0;
  std::string target;
  std::string kind;
  std::string message;
};

//! True for open, applied, verified, no_effect, regressed, dismissed, resolved.
bool is_valid_status(const std::string& status);

}  // namespace connectors::store
