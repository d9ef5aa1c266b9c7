#pragma once
// Picks the fingerprints worth analysing this cycle. Pure functions over per-fingerprint window
// histories (the daemon reads them from its store): top by total time, mean above a threshold,
// regressed against the fingerprint's own baseline, trending towards the threshold, plan
// changed. Every detection says why it fired, with its numbers; the whole is budgeted.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace heuristics::detection {

//! One window of one fingerprint (a fingerprint may merge several pg_stat_statements keys).
struct WindowPoint {
  double end = 0;       //!< Unix seconds at the end of the window
  double seconds = 0;   //!< window length
  double calls = 0;
  double total_ms = 0;
  bool clean = true;    //!< false: reset/restart in the window; never used as a baseline point
  double mean_ms() const { return calls > 0 ? total_ms / calls : 0; }
};

struct FingerprintHistory {
  std::string fingerprint;  //!< the daemon's key (queryid text or parser fingerprint)
  //! Oldest first; the last one is the current window. May be empty (then nothing fires).
  std::vector<WindowPoint> windows;
  //! Plan hash of the current plan; empty when no plan was taken this cycle.
  std::string current_plan_hash;
  //! Plan hashes seen for this fingerprint before this cycle (any order).
  std::vector<std::string> previous_plan_hashes;
};

enum class DetectionKind {
  top_total_time,  //!< among the top N by total time in the current window
  slow_mean,       //!< window mean above the threshold
  regressed,       //!< window mean well above its own robust baseline
  trend,           //!< the fitted mean will cross the threshold within the horizon
  plan_changed,    //!< a plan hash never seen before for this fingerprint
};

const char* to_string(DetectionKind kind);

//! How urgent a detection is, smaller first: what changed (regressed, plan changed), then slow,
//! then trending, then merely big. A fingerprint's urgency is its most urgent detection's.
int urgency(DetectionKind kind);

struct DetectionOptions {
  std::size_t top_n = 10;               //!< top fingerprints by window total time
  double min_top_total_ms = 1.0;        //!< a "top" fingerprint must have used at least this
  double mean_threshold_ms = 100;       //!< slow_mean threshold, and the trend's target
  double min_calls = 10;                //!< slow_mean/regressed/trend: calls in the window
  double regression_ratio = 2.0;        //!< window mean ≥ ratio × baseline median
  double regression_mad_k = 3.0;        //!< and ≥ median + k × robust sigma
  std::size_t baseline_min_windows = 5; //!< earlier clean windows with min_calls needed
  std::size_t baseline_max_windows = 48;//!< most recent earlier windows used for the baseline
  std::size_t trend_windows = 12;       //!< K: the fit uses the last K windows (current included)
  std::size_t trend_min_points = 6;     //!< windows with min_calls needed in those K
  double trend_min_r_squared = 0.6;     //!< the fit must explain the rise, not noise
  double trend_horizon_seconds = 7 * 86400.0;
  std::size_t max_analyses = 5;         //!< budget: fingerprints selected per cycle
};

//! One named figure of a detection's evidence.
struct Evidence {
  std::string name;
  double value = 0;
};

struct Detection {
  std::string fingerprint;
  DetectionKind kind = DetectionKind::top_total_time;
  std::string reason;               //!< one line with the numbers, for a DBA
  std::vector<Evidence> evidence;   //!< the same numbers, machine-readable
  double window_total_ms = 0;       //!< used to order the budget
};

//! Top `top_n` by current-window total time (≥ min_top_total_ms), largest first.
std::vector<Detection> detect_top_total_time(const std::vector<FingerprintHistory>& histories,
                                             const DetectionOptions& options);
//! Current window mean > mean_threshold_ms with calls ≥ min_calls.
std::optional<Detection> detect_slow_mean(const FingerprintHistory& history, const DetectionOptions& options);
//! Current window (calls ≥ min_calls) against the median and MAD of up to baseline_max_windows
//! earlier clean windows with calls ≥ min_calls (at least baseline_min_windows of them): fires
//! when mean ≥ ratio × median AND mean ≥ median + k × 1.4826 × MAD.
std::optional<Detection> detect_regression(const FingerprintHistory& history, const DetectionOptions& options);
//! Least-squares line of mean_ms over time across the last trend_windows windows (those with
//! calls ≥ min_calls, at least trend_min_points, r² ≥ trend_min_r_squared, rising); fires when
//! the current mean is still ≤ the threshold and the line reaches it within the horizon.
std::optional<Detection> detect_trend(const FingerprintHistory& history, const DetectionOptions& options);
//! current_plan_hash non-empty, at least one previous hash, and current not among them.
std::optional<Detection> detect_plan_change(const FingerprintHistory& history, const DetectionOptions& options);

struct DetectionResult {
  std::vector<Detection> detections;  //!< every detection that fired, all kinds
  //! Fingerprints to analyse this cycle, at most max_analyses, most urgent first: regressions
  //! and plan changes, then slow means, then trends, then the rest; ties by window total time.
  std::vector<std::string> selected;
  std::size_t deferred = 0;           //!< fingerprints that fired but did not fit the budget
};

//! Runs every detector over every history and applies the budget.
DetectionResult detect(const std::vector<FingerprintHistory>& histories, const DetectionOptions& options);

}  // namespace heuristics::detection
