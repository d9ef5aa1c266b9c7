#pragma once
// The JSON document of `analyze --format json`, and the recommendation object of the
// contract in DESIGN.md (shared with the daemon's file and the webhook body).

#include <nlohmann/json.hpp>

#include "advisor/analysis_report.hpp"
#include "model/recommendation.hpp"

namespace advisor {

nlohmann::ordered_json recommendation_to_json(const model::Recommendation& recommendation,
                                              const nlohmann::ordered_json& plan_before);
nlohmann::ordered_json finding_to_json(const model::Finding& finding);
//! The candidates an analysis dropped, with the reason (shown with -v).
nlohmann::ordered_json rejected_to_json(const std::vector<model::RejectedCandidate>& rejected);

//! One document: query, plan, findings, recommendations (+ rejected candidates when verbose).
nlohmann::ordered_json report_to_json(const AnalysisReport& report, bool verbose);

}  // namespace advisor
