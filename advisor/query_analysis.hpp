#pragma once
// The one-shot analysis of one query: parse, plan, rules, index advice.

#include <optional>
#include <string>

#include "advisor/analysis_report.hpp"
#include "advisor/analysis_settings.hpp"
#include "model/result.hpp"

namespace advisor {

//! Analyses `sql` on a live server. Fails (as a value) on invalid SQL, an unreachable server,
//! an unknown table or a plan that cannot be made; the error never contains a password.
model::Result<AnalysisReport> analyse_online(const std::string& conninfo, const std::string& sql,
                                             const AnalysisSettings& settings);

//! Analyses a saved EXPLAIN JSON plan with no database: plan rules only (no catalog, no
//! index validation). `sql`, when given, adds the fingerprint and the query shape.
model::Result<AnalysisReport> analyse_offline(const std::string& plan_json,
                                              const std::optional<std::string>& sql,
                                              const AnalysisSettings& settings);

}  // namespace advisor
