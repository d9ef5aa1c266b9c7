#pragma once
// The end of a target's cycle: detections and findings recorded, plans hashed (a new hash is
// a plan change), recommendations filed by stable id, the ones that no longer apply moved on
// in their lifecycle, and the cycle marked complete, all in one store transaction.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advisor/analysis_report.hpp"
#include "advisor/config/config.hpp"
#include "advisor/daemon/log.hpp"
#include "connectors/postgres/session.hpp"
#include "connectors/store/history_store.hpp"
#include "heuristics/detection/detectors.hpp"

namespace advisor::daemon {

struct CycleSettings;
struct CycleOutcome;
class WebhookOutbox;

struct AnalysedStatement {
  std::string fingerprint;  //!< the daemon's key: pg_stat_statements queryid
  connectors::store::WindowRecord window;
  AnalysisReport report;
  //! The root-cause hypotheses of its detection (hypotheses_to_json), an array; may be empty.
  nlohmann::ordered_json hypotheses = nlohmann::ordered_json::array();
  std::string headline;  //!< one line summing the hypotheses up; empty when there are none
  //! The statement's time over the last day of history (its stored windows, this one
  //! included) and the span they cover, from the first one's start: the rate ms saved per day
  //! is extrapolated from. A span of 0 falls back to the window alone.
  double recent_total_ms = 0;
  double recent_seconds = 0;
};

//! What filing needs beside the cycle's results.
struct FilingContext {
  WebhookOutbox* outbox = nullptr;  //!< null: no webhook configured
  //! "schema.table" of the tables ANALYZEd (by anyone) during the window: their open
  //! analyze recommendations were applied.
  std::vector<std::string> analysed_tables;
};

//! Files the cycle's results; a store failure is logged (the transaction leaves the store as
//! it was). Every change of a recommendation (created, updated, applied, resolved) is an event
//! in the store and, with a webhook, an outbox row, in the same transaction. Returns `outcome`
//! with filed and moved_on counted.
CycleOutcome file_cycle(connectors::store::HistoryStore& store, connectors::pg::Session& session,
                        const config::Target& target, const std::vector<heuristics::detection::Detection>& detections,
                        const std::vector<AnalysedStatement>& analysed, const CycleSettings& settings,
                        const FilingContext& context, Log& log, double now, CycleOutcome outcome);

//! The recommendations of `analysed` for `target`, merged by stable id (one index may help
//! several statements), each with its JSON document, whose trace carries the triggering
//! window of each statement ("samples") and their hypotheses. Pure.
std::vector<connectors::store::FiledRecommendation> recommendations_to_file(
    const std::string& target, const std::vector<AnalysedStatement>& analysed);

}  // namespace advisor::daemon
