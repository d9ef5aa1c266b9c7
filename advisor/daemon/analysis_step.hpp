#pragma once
// The daemon's calls into the analyser, kept in one place: analyse_online() per detected
// statement (findings, plan, rewrites), then one workload-wide index advice over every
// statement the cycle analysed, weighted by its window calls, so that one index serving
// several detected statements is recommended once, with all the statements it serves.

#include <string>
#include <vector>

#include "advisor/analysis_report.hpp"
#include "advisor/analysis_settings.hpp"
#include "advisor/daemon/cycle_filing.hpp"
#include "advisor/daemon/log.hpp"
#include "advisor/workload_file.hpp"
#include "advisor/workload_report.hpp"
#include "model/result.hpp"

namespace advisor::daemon {

//! Analyses one statement as pg_stat_statements recorded it (normalised, `$n` parameters) on
//! the target. Errors as analyse_online(): invalid SQL, server gone, unknown table…
model::Result<AnalysisReport> analyse_statement(const std::string& conninfo, const std::string& sql,
                                                const AnalysisSettings& settings);

//! The workload of the cycle: each analysed statement's text with its window figures (calls
//! as the weight). Statement i has line i + 1, which is how its advice is found again. Pure.
std::vector<WorkloadStatement> cycle_workload(const std::vector<AnalysedStatement>& analysed);

//! Replaces the per-statement create_index recommendations of the statements `report` advised
//! by the workload's: each workload index is given to every statement it serves (queries:
//! that statement's; estimate: the whole index's, the same in every copy; score: that
//! statement's share of the benefit), so that filing merges the copies by stable id into one
//! recommendation listing all of them. Statements the workload could not plan keep their own
//! index advice. `report` must come from advise_workload over cycle_workload(analysed). Pure.
void merge_workload_indexes(std::vector<AnalysedStatement>& analysed, const WorkloadReport& report);

//! The workload index advice for `analysed` on the target (its own connection), merged as
//! merge_workload_indexes(). When it cannot run (server gone, catalog unreadable) a warning is
//! logged and every statement keeps its per-statement index advice. Never throws.
void advise_cycle_indexes(const config::Target& target, std::vector<AnalysedStatement>& analysed,
                          const AnalysisSettings& settings, Log& log);

}  // namespace advisor::daemon
