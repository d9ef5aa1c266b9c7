#pragma once
// Triage score and ranking across all targets: score = estimated ms saved per day × confidence.
// Pure.

#include <string>
#include <vector>

#include "heuristics/triage/risk.hpp"

namespace heuristics::triage {

struct TriageItem {
  std::string target;
  std::string id;  //!< the recommendation's stable id
  model::RecommendationKind kind = model::RecommendationKind::create_index;
  double ms_saved_per_day = 0;  //!< estimate; negative or NaN counts as 0
  double confidence = 0;        //!< 0..1; clamped
  Risk risk = Risk::high;
};

struct RankedItem {
  TriageItem item;
  double score = 0;
  int rank = 0;  //!< 1-based across every target
};

//! max(ms_saved_per_day, 0) × clamp(confidence, 0, 1); 0 for NaN inputs.
double score(double ms_saved_per_day, double confidence);

//! Every item scored and ranked across targets: score descending, then lower risk first, then
//! target and id (so equal inputs always give the same order).
std::vector<RankedItem> rank(const std::vector<TriageItem>& items);

}  // namespace heuristics::triage
