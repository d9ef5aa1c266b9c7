#pragma once
// A recommendation as filed and printed; see "The recommendation contract" in DESIGN.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/finding.hpp"

namespace model {

enum class RecommendationKind { create_index, drop_index, rewrite, analyze, create_statistics, config };

const char* to_string(RecommendationKind kind);

struct QueryRef {
  std::string fingerprint;
  std::string normalized;
  double calls = 1;
  std::optional<double> mean_ms;
  std::optional<double> total_ms;
  //! Workload advice: the query's plan cost without / with the recommendation (the other
  //! recommended indexes present in both), so each query's share of the benefit is visible.
  std::optional<double> cost_before;
  std::optional<double> cost_after;
};

struct Estimate {
  std::optional<double> cost_before;
  std::optional<double> cost_after;
  std::optional<double> improvement;        //!< 1 - after/before, 0..1
  std::optional<double> ms_saved_per_day;
  std::optional<std::int64_t> index_bytes;  //!< hypopg_relation_size, when validated
};

struct Recommendation {
  std::string id;  //!< stable: hash of target + kind + statement
  std::string target;
  RecommendationKind kind = RecommendationKind::create_index;
  std::string statement;  //!< DDL or rewritten SQL
  std::string rationale;
  std::vector<QueryRef> queries;
  Estimate estimate;
  double score = 0;
  int rank = 0;
  double confidence = 0;  //!< 0..1
  std::string risk = "low";
  std::string status = "open";
  bool validated = false;  //!< costed with a hypothetical index (HypoPG)
  std::vector<Finding> findings;
  std::string plan_after_json;  //!< the hypothetical plan, EXPLAIN JSON text, when validated
  std::string first_seen;       //!< ISO 8601 UTC
  std::string last_seen;
};

//! A candidate the advisor considered and dropped, with the reason (shown with -v).
struct RejectedCandidate {
  std::string statement;
  std::string reason;
};

}  // namespace model
