#pragma once
// The JSON document of `analyze --format json`, and the recommendation object of the
// contract in DESIGN.md (shared with the daemon's file and the webhook body).

#include <string>
#include <vector>

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

//! Appends the fields the one-query and the workload documents both end with, in this order:
//! "recommendations" (each with `plan_before` as its trace's plan_before; null when there is
//! no single plan), "notes", and with `verbose` "rejected".
void add_recommendations_and_notes(nlohmann::ordered_json& document,
                                   const std::vector<model::Recommendation>& recommendations,
                                   const nlohmann::ordered_json& plan_before, const std::vector<std::string>& notes,
                                   const std::vector<model::RejectedCandidate>& rejected, bool verbose);

}  // namespace advisor
