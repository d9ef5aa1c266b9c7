#pragma once
// The end of a target's cycle: detections and findings recorded, plans hashed (a new hash is
// a plan change), recommendations filed by stable id, the ones that no longer apply moved on
// in their lifecycle, and the cycle marked complete, all in one store transaction.

#include <string>
#include <vector>

#include "advisor/analysis_report.hpp"
#include "advisor/config/config.hpp"
#include "advisor/daemon/log.hpp"
#include "connectors/postgres/session.hpp"
#include "connectors/store/history_store.hpp"
#include "heuristics/detection/detectors.hpp"

namespace advisor::daemon {

struct CycleSettings;
struct CycleOutcome;

struct AnalysedStatement {
  std::string fingerprint;  //!< the daemon's key: pg_stat_statements queryid
  connectors::store::WindowRecord window;
  AnalysisReport report;
};

//! Files the cycle's results; a store failure is logged (the transaction leaves the store as
//! it was). Returns `outcome` with filed and moved_on counted.
CycleOutcome file_cycle(connectors::store::HistoryStore& store, connectors::pg::Session& session,
                        const config::Target& target, const std::vector<heuristics::detection::Detection>& detections,
                        const std::vector<AnalysedStatement>& analysed, const CycleSettings& settings, Log& log,
                        double now, CycleOutcome outcome);

//! The recommendations of `analysed` for `target`, merged by stable id (one index may help
//! several statements), each with its JSON document. Pure.
std::vector<connectors::store::FiledRecommendation> recommendations_to_file(
    const std::string& target, const std::vector<AnalysedStatement>& analysed);

}  // namespace advisor::daemon
