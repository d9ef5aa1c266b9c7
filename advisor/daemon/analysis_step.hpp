#pragma once
// The daemon's one call into the analyser, kept in one place so that the workload engine can
// replace it: today, analyse_online() per detected statement.

#include <string>

#include "advisor/analysis_report.hpp"
#include "advisor/analysis_settings.hpp"
#include "model/result.hpp"

namespace advisor::daemon {

//! Analyses one statement as pg_stat_statements recorded it (normalised, `$n` parameters) on
//! the target. Errors as analyse_online(): invalid SQL, server gone, unknown table…
model::Result<AnalysisReport> analyse_statement(const std::string& conninfo, const std::string& sql,
                                                const AnalysisSettings& settings);

}  // namespace advisor::daemon
