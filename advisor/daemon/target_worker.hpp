#pragma once
// One watched database: its connection, sampler, delta tracker and reconnection backoff, and
// the cycle sample → deltas → windows → detect → analyse → file. Isolated: whatever happens to
// one target (down, killed backend, lock, bad statement) ends as a log line and a state, never
// as an exception into the daemon loop.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>

#include "advisor/analysis_settings.hpp"
#include "advisor/config/config.hpp"
#include "advisor/daemon/auto_apply_step.hpp"
#include "advisor/daemon/backoff.hpp"
#include "advisor/daemon/cycle_filing.hpp"
#include "advisor/daemon/log.hpp"
#include "connectors/postgres/session.hpp"
#include "connectors/postgres/stats_sampler.hpp"
#include "connectors/store/history_store.hpp"
#include "heuristics/detection/deltas.hpp"
#include "heuristics/detection/detectors.hpp"
#include "heuristics/verification.hpp"

namespace advisor::daemon {

struct CycleSettings {
  heuristics::detection::DetectionOptions detection;
  AnalysisSettings analysis;
  double raw_retention_s = 7 * 86400.0;
  std::chrono::milliseconds retry_initial{5000};
  std::chrono::milliseconds retry_max{300000};
  AutoApplySettings auto_apply;
  heuristics::verification::VerificationOptions verification;
};

class WebhookOutbox;

//! The settings of a cycle, from the configuration.
CycleSettings cycle_settings(const config::Config& config);

struct CycleOutcome {
  bool attempted = false;  //!< false: the target is down and its next retry is not due yet
  bool sampled = false;
  int windows = 0;
  int detections = 0;
  int analysed = 0;
  int filed = 0;
  int moved_on = 0;  //!< recommendations that moved to applied or resolved
  int auto_applied = 0;  //!< built or analysed by L1 this cycle
  int verified = 0;      //!< applied recommendations judged this cycle
};

class TargetWorker {
public:
  TargetWorker(config::Target target, std::size_t max_tracked);

  const std::string& name() const { return m_target.name; }
  bool up() const { return m_up; }
  //! Replaces the connection string on reload (reconnects at the next cycle when it changed).
  void set_target(const config::Target& target);
  void set_max_tracked(std::size_t max_tracked);

  //! One cycle at Unix time `now`. `keep_going` is asked between steps; false abandons the
  //! rest of the cycle (shutdown). `outbox` (may be null) receives the webhook events. Never
  //! throws.
  CycleOutcome run(connectors::store::HistoryStore& store, const CycleSettings& settings, Log& log,
                   const std::function<bool()>& keep_going, double now, WebhookOutbox* outbox = nullptr);

  //! Saves the last sample as the baseline for the next run; logs a failure.
  void save_baseline(connectors::store::HistoryStore& store, Log& log, double now);
  //! Loads the baseline a previous run saved (once, before the first cycle).
  void load_baseline(connectors::store::HistoryStore& store, Log& log);

private:
  bool connect(const CycleSettings& settings, Log& log, double now);
  void went_down(const std::string& why, const CycleSettings& settings, Log& log, double now);
  CycleOutcome cycle(connectors::store::HistoryStore& store, const CycleSettings& settings, Log& log,
                     const std::function<bool()>& keep_going, double now, WebhookOutbox* outbox);
  //! The root-cause hypotheses of every analysed statement that was detected, from the store's
  //! evidence; a failure to read the store leaves a statement without them.
  void attach_hypotheses(connectors::store::HistoryStore& store,
                         const std::vector<heuristics::detection::Detection>& detections,
                         std::vector<AnalysedStatement>& analysed, Log& log, double now);
  //! After filing: L1 auto-apply of open recommendations, then verification of applied ones,
  //! each outcome recorded with its events in one store transaction.
  void apply_and_verify(connectors::store::HistoryStore& store, const CycleSettings& settings, Log& log,
                        const std::function<bool()>& keep_going, double now, WebhookOutbox* outbox,
                        CycleOutcome& outcome);

  config::Target m_target;
  std::unique_ptr<connectors::pg::Session> m_session;
  connectors::pg::StatsSampler m_sampler;
  heuristics::detection::DeltaTracker m_tracker;
  Backoff m_backoff;
  bool m_up = false;
  bool m_ever_tried = false;
  double m_next_attempt = 0;
  std::string m_last_error;
  std::optional<model::Sample> m_last_sample;
  bool m_baseline_loaded = false;
  //! Queryids whose statements cannot be analysed (utility statements, refused ones): never
  //! selected, so they do not spend the analysis budget. Cleared when it reaches max_tracked.
  std::unordered_set<std::string> m_not_analysable;
  std::size_t m_max_tracked;
  AutoApplier m_applier;
  double m_last_table_snapshot = 0;
};

}  // namespace advisor::daemon
