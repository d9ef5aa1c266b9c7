#include "heuristics/detection/detectors.hpp"

#include <algorithm>
#include <map>

#include "heuristics/detection/robust_stats.hpp"
#include "heuristics/number_format.hpp"

namespace heuristics::detection {

namespace {

const WindowPoint* current(const FingerprintHistory& history)
{
  return history.windows.empty() ? nullptr : &history.windows.back();
}

Detection make(const FingerprintHistory& history, DetectionKind kind, std::string reason,
               std::vector<Evidence> evidence)
{
  Detection d;
  d.fingerprint = history.fingerprint;
  d.kind = kind;
  d.reason = std::move(reason);
  d.evidence = std::move(evidence);
  d.window_total_ms = history.windows.empty() ? 0 : history.windows.back().total_ms;
  return d;
}

std::string days(double seconds)
{
  return format_number(seconds / 86400.0) + " days";
}

}  // namespace

const char* to_string(DetectionKind kind)
{
  switch (kind) {
  case DetectionKind::top_total_time: return "top_total_time";
  case DetectionKind::slow_mean: return "slow_mean";
  case DetectionKind::regressed: return "regressed";
  case DetectionKind::trend: return "trend";
  case DetectionKind::plan_changed: return "plan_changed";
  }
  return "unknown";
}

int urgency(DetectionKind kind)
{
  switch (kind) {
  case DetectionKind::regressed:
  case DetectionKind::plan_changed: return 0;
  case DetectionKind::slow_mean: return 1;
  case DetectionKind::trend: return 2;
  case DetectionKind::top_total_time: return 3;
  }
  return 4;
}

std::vector<Detection> detect_top_total_time(const std::vector<FingerprintHistory>& histories,
                                             const DetectionOptions& options)
{
  std::vector<const FingerprintHistory*> ranked;
  double window_total = 0;
  for (const auto& h : histories) {
    const auto* w = current(h);
    if (w == nullptr)
      continue;
    window_total += w->total_ms;
    if (w->total_ms >= options.min_top_total_ms)
      ranked.push_back(&h);
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto* a, const auto* b) {
    if (a->windows.back().total_ms != b->windows.back().total_ms)
      return a->windows.back().total_ms > b->windows.back().total_ms;
    return a->fingerprint < b->fingerprint;
  });
  if (ranked.size() > options.top_n)
    ranked.resize(options.top_n);
  std::vector<Detection> out;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto& w = ranked[i]->windows.back();
    const double share = window_total > 0 ? w.total_ms / window_total : 0;
    out.push_back(make(*ranked[i], DetectionKind::top_total_time,
                       std::string("#") + std::to_string(i + 1) + " by total time in the window: " + format_ms(w.total_ms) +
                           " over " + format_number(w.calls) + " calls (" + format_percent(share) +
                           " of all statement time)",
                       {{"rank", static_cast<double>(i + 1)},
                        {"total_ms", w.total_ms},
                        {"calls", w.calls},
                        {"share", share}}));
  }
  return out;
}

std::optional<Detection> detect_slow_mean(const FingerprintHistory& history, const DetectionOptions& options)
{
  const auto* w = current(history);
  if (w == nullptr || w->calls < options.min_calls || w->mean_ms() <= options.mean_threshold_ms)
    return std::nullopt;
  return make(history, DetectionKind::slow_mean,
              std::string("mean ") + format_ms(w->mean_ms()) + " over " + format_number(w->calls) + " calls is above the " +
                  format_ms(options.mean_threshold_ms) + " threshold",
              {{"mean_ms", w->mean_ms()}, {"calls", w->calls}, {"threshold_ms", options.mean_threshold_ms}});
}

std::optional<Detection> detect_regression(const FingerprintHistory& history, const DetectionOptions& options)
{
  const auto* w = current(history);
  if (w == nullptr || w->calls < options.min_calls)
    return std::nullopt;
  std::vector<double> baseline;
  // Walk back from the window before the current one: the most recent windows make the baseline.
  for (auto it = history.windows.rbegin() + 1;
       it != history.windows.rend() && baseline.size() < options.baseline_max_windows; ++it)
    if (it->clean && it->calls >= options.min_calls)
      baseline.push_back(it->mean_ms());
  if (baseline.size() < options.baseline_min_windows)
    return std::nullopt;
  const double centre = median(baseline);
  const double sigma = robust_sigma(baseline);
  const double mean = w->mean_ms();
  const double ratio = centre > 0 ? mean / centre : 0;
  const double limit = centre + options.regression_mad_k * sigma;
  if (centre <= 0 || ratio < options.regression_ratio || mean < limit)
    return std::nullopt;
  return make(history, DetectionKind::regressed,
              std::string("mean ") + format_ms(mean) + " over " + format_number(w->calls) + " calls is " + format_number(ratio) +
                  "x its baseline median " + format_ms(centre) + " (robust sigma " + format_ms(sigma) + ", " +
                  std::to_string(baseline.size()) + " earlier windows)",
              {{"mean_ms", mean},
               {"calls", w->calls},
               {"baseline_median_ms", centre},
               {"baseline_sigma_ms", sigma},
               {"baseline_windows", static_cast<double>(baseline.size())},
               {"ratio", ratio}});
}

std::optional<Detection> detect_trend(const FingerprintHistory& history, const DetectionOptions& options)
{
  const auto* w = current(history);
  if (w == nullptr || w->mean_ms() > options.mean_threshold_ms || options.trend_windows < 2)
    return std::nullopt;
  std::vector<double> x;
  std::vector<double> y;
  const auto first = history.windows.size() > options.trend_windows ? history.windows.size() - options.trend_windows : 0;
  for (auto i = first; i < history.windows.size(); ++i) {
    const auto& p = history.windows[i];
    if (p.calls >= options.min_calls) {
      x.push_back(p.end - w->end);  // relative to now: slope per second, intercept = now
      y.push_back(p.mean_ms());
    }
  }
  if (x.size() < std::max<std::size_t>(options.trend_min_points, 2))
    return std::nullopt;
  const auto fit = fit_line(x, y);
  if (!fit || fit->slope <= 0 || fit->r_squared < options.trend_min_r_squared)
    return std::nullopt;
  const double now_fitted = fit->at(0);
  const double seconds_to_cross = (options.mean_threshold_ms - now_fitted) / fit->slope;
  if (seconds_to_cross > options.trend_horizon_seconds)
    return std::nullopt;
  const double crossing = std::max(0.0, seconds_to_cross);
  return make(history, DetectionKind::trend,
              std::string("mean rises ") + format_ms(fit->slope * 86400.0) + " a day (r² " + format_number(fit->r_squared) +
                  " over " + std::to_string(x.size()) + " windows), now " + format_ms(now_fitted) + ": it reaches the " +
                  format_ms(options.mean_threshold_ms) + " threshold in " + days(crossing) + ", within the " +
                  days(options.trend_horizon_seconds) + " horizon",
              {{"slope_ms_per_day", fit->slope * 86400.0},
               {"r_squared", fit->r_squared},
               {"fitted_now_ms", now_fitted},
               {"threshold_ms", options.mean_threshold_ms},
               {"seconds_to_threshold", crossing},
               {"horizon_seconds", options.trend_horizon_seconds},
               {"points", static_cast<double>(x.size())}});
}

std::optional<Detection> detect_plan_change(const FingerprintHistory& history, const DetectionOptions&)
{
  if (history.current_plan_hash.empty() || history.previous_plan_hashes.empty())
    return std::nullopt;
  const auto& known = history.previous_plan_hashes;
  if (std::find(known.begin(), known.end(), history.current_plan_hash) != known.end())
    return std::nullopt;
  const auto* w = current(history);
  const double mean = w == nullptr ? 0 : w->mean_ms();
  return make(history, DetectionKind::plan_changed,
              std::string("new plan ") + history.current_plan_hash + " (" + std::to_string(known.size()) +
                  " plan(s) seen before, last " + known.back() + "); window mean " + format_ms(mean),
              {{"known_plans", static_cast<double>(known.size())}, {"mean_ms", mean}});
}

DetectionResult detect(const std::vector<FingerprintHistory>& histories, const DetectionOptions& options)
{
  DetectionResult result;
  result.detections = detect_top_total_time(histories, options);
  for (const auto& h : histories)
    for (auto d : {detect_regression(h, options), detect_plan_change(h, options), detect_slow_mean(h, options),
                   detect_trend(h, options)})
      if (d)
        result.detections.push_back(std::move(*d));

  struct Candidate {
    int urgency = 4;
    double total_ms = 0;
  };
  std::map<std::string, Candidate> candidates;
  for (const auto& d : result.detections) {
    auto [it, inserted] = candidates.try_emplace(d.fingerprint, Candidate{urgency(d.kind), d.window_total_ms});
    if (!inserted)
      it->second.urgency = std::min(it->second.urgency, urgency(d.kind));
  }
  std::vector<std::pair<std::string, Candidate>> ordered(candidates.begin(), candidates.end());
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    if (a.second.urgency != b.second.urgency)
      return a.second.urgency < b.second.urgency;
    if (a.second.total_ms != b.second.total_ms)
      return a.second.total_ms > b.second.total_ms;
    return a.first < b.first;
  });
  for (const auto& [fingerprint, candidate] : ordered) {
    if (result.selected.size() < options.max_analyses)
      result.selected.push_back(fingerprint);
    else
      ++result.deferred;
  }
  return result;
}

}  // namespace heuristics::detection
