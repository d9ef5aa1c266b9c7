#pragma once
// Fills the root-cause evidence of one detected fingerprint from what the daemon has (its
// store's windows, plans and table snapshots, and the cycle's analysis report), and renders
// the hypotheses drawn from it for the recommendation trace.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advisor/analysis_report.hpp"
#include "connectors/store/history_store.hpp"
#include "heuristics/hypotheses/evidence.hpp"
#include "heuristics/hypotheses/hypotheses.hpp"

namespace advisor::daemon {

//! Adds one stored window to a sum of work (seconds covered, calls, time, rows, buffers).
void add_window(heuristics::hypotheses::WorkFigures& sum, const connectors::store::WindowRecord& w);

//! Earlier windows summed into the baseline (at most; only clean ones count).
inline constexpr int evidence_baseline_windows = 24;

//! The evidence of `fingerprint` on `target`:
//! - current: the fingerprint's last stored window; baseline: the sum of the clean windows
//!   before it (up to evidence_baseline_windows; calls == 0 when there are none);
//! - plan_change: when the report's plan hash differs from the most recent other stored hash
//!   and the change is not older than the baseline (the store may or may not hold the current
//!   plan yet: both work);
//! - tables: each table of report->tables with pg_stat_user_tables activity, its live rows
//!   and write rate against the snapshot at (or else nearest after) the baseline's start.
//! `report` may be null (no analysis this cycle): then no plan change and no tables. A store
//! error leaves the part it concerns empty: the hypotheses are weaker, never wrong. Never throws.
heuristics::hypotheses::FingerprintEvidence gather_evidence(connectors::store::HistoryStore& store,
                                                            const std::string& target,
                                                            const std::string& fingerprint,
                                                            const std::string& detection,
                                                            const AnalysisReport* report, double now);

//! The hypotheses as the trace carries them: an array, strongest first, of {"cause",
//! "strength", "statement", "table" (null when about no table), "figures": {name: value},
//! "remedy" (recommendation kind or null), "remedy_note"}.
nlohmann::ordered_json hypotheses_to_json(const std::vector<heuristics::hypotheses::Hypothesis>& hypotheses);

}  // namespace advisor::daemon
