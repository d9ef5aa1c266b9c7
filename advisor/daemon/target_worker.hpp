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
#include "advisor/daemon/backoff.hpp"
#include "advisor/daemon/log.hpp"
#include "connectors/postgres/session.hpp"
#include "connectors/postgres/stats_sampler.hpp"
#include "connectors/store/history_store.hpp"
#include "heuristics/detection/deltas.hpp"
#include "heuristics/detection/detectors.hpp"

namespace advisor::daemon {

struct CycleSettings {
  heuristics::detection::DetectionOptions detection;
  AnalysisSettings analysis;
  double raw_retention_s = 7 * 86400.0;
  std::chrono::milliseconds retry_initial{5000};
  std::chrono::milliseconds retry_max{300000};
};

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
  //! rest of the cycle (shutdown). Never throws.
  CycleOutcome run(connectors::store::HistoryStore& store, const CycleSettings& settings, Log& log,
                   const std::function<bool()>& keep_going, double now);

  //! Saves the last sample as the baseline for the next run; logs a failure.
  void save_baseline(connectors::store::HistoryStore& store, Log& log, double now);
  //! Loads the baseline a previous run saved (once, before the first cycle).
  void load_baseline(connectors::store::HistoryStore& store, Log& log);

private:
  bool connect(const CycleSettings& settings, Log& log, double now);
  void went_down(const std::string& why, const CycleSettings& settings, Log& log, double now);
  CycleOutcome cycle(connectors::store::HistoryStore& store, const CycleSettings& settings, Log& log,
                     const std::function<bool()>& keep_going, double now);

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
};

}  // namespace advisor::daemon
