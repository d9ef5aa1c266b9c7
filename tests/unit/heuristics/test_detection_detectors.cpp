#include "heuristics/detection/detectors.hpp"
#include "heuristics/detection/robust_stats.hpp"
#include "tests/support/catch.hpp"

namespace {

using namespace heuristics::detection;

constexpr double hour = 3600;

//! A fingerprint with hourly windows of the given means, `calls` calls each.
FingerprintHistory history(const std::string& name, const std::vector<double>& means, double calls = 100)
{
  FingerprintHistory h;
  h.fingerprint = name;
  double end = 1'700'000'000;
  for (const double mean : means) {
    end += hour;
    h.windows.push_back(WindowPoint{end, hour, calls, mean * calls, true});
  }
  return h;
}

double evidence(const Detection& d, const std::string& name)
{
  for (const auto& e : d.evidence)
    if (e.name == name)
      return e.value;
  FAIL("no evidence named " + name);
  return 0;
}

}  // namespace

TEST_CASE("robust stats: median, MAD and a least-squares line", "[heuristics]")
{
  CHECK(median({}) == 0);
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(median_absolute_deviation({1, 2, 3, 4, 100}) == 1);
  CHECK(robust_sigma({1, 2, 3, 4, 100}) == Approx(1.4826));
  const auto fit = fit_line({1e9, 1e9 + 10, 1e9 + 20}, {5, 7, 9});
  REQUIRE(fit);
  CHECK(fit->slope == Approx(0.2));
  CHECK(fit->at(1e9 + 30) == Approx(11));
  CHECK(fit->r_squared == Approx(1));
  CHECK_FALSE(fit_line({1, 1}, {2, 3}));
  CHECK_FALSE(fit_line({1}, {2}));
}

TEST_CASE("detection: top fingerprints by total time in the window", "[heuristics]")
{
  DetectionOptions options;
  options.top_n = 2;
  const std::vector<FingerprintHistory> all{history("a", {1}, 100), history("b", {50}, 100),
                                            history("c", {5}, 100), history("idle", {}, 0)};
  const auto top = detect_top_total_time(all, options);
  REQUIRE(top.size() == 2);
  CHECK(top[0].fingerprint == "b");
  CHECK(top[1].fingerprint == "c");
  CHECK(evidence(top[0], "total_ms") == Approx(5000));
  CHECK(evidence(top[0], "share") == Approx(5000.0 / 5600.0));
  CHECK(evidence(top[1], "rank") == 2);
  CHECK(top[0].reason.find("5,000 ms") != std::string::npos);
}

TEST_CASE("detection: mean above the threshold, with the minimum-calls guard", "[heuristics]")
{
  DetectionOptions options;
  options.mean_threshold_ms = 100;
  options.min_calls = 10;
  const auto slow = detect_slow_mean(history("q", {150}, 20), options);
  REQUIRE(slow);
  CHECK(slow->kind == DetectionKind::slow_mean);
  CHECK(evidence(*slow, "mean_ms") == Approx(150));
  CHECK(slow->reason == "mean 150.0 ms over 20 calls is above the 100.0 ms threshold");
  CHECK_FALSE(detect_slow_mean(history("q", {150}, 5), options));   // too few calls
  CHECK_FALSE(detect_slow_mean(history("q", {99}, 500), options));  // below
}

TEST_CASE("detection: regression against the fingerprint's own robust baseline", "[heuristics]")
{
  DetectionOptions options;
  options.regression_ratio = 2.0;
  options.regression_mad_k = 3.0;
  options.baseline_min_windows = 5;
  // Baseline 10 ± 1 (one outlier of 40 that the median shrugs off); now 25 ms.
  auto h = history("q", {10, 11, 9, 40, 10, 12, 9, 25}, 200);
  const auto d = detect_regression(h, options);
  REQUIRE(d);
  CHECK(d->kind == DetectionKind::regressed);
  CHECK(evidence(*d, "baseline_median_ms") == Approx(10));
  CHECK(evidence(*d, "ratio") == Approx(2.5));
  CHECK(evidence(*d, "baseline_windows") == 7);
  CHECK(evidence(*d, "baseline_sigma_ms") == Approx(1.4826));
  INFO(d->reason);
  CHECK(d->reason.find("2.5x its baseline median 10.0 ms") != std::string::npos);

  SECTION("below the ratio: no detection")
  {
    h.windows.back().total_ms = 19 * 200.0;
    CHECK_FALSE(detect_regression(h, options));
  }
  SECTION("a noisy baseline needs more than the ratio")
  {
    auto noisy = history("q", {10, 30, 5, 25, 8, 28, 22}, 200);  // median 22, sigma ≈ 10
    CHECK_FALSE(detect_regression(noisy, options));
  }
  SECTION("too few calls in the current window")
  {
    h.windows.back().calls = 5;
    h.windows.back().total_ms = 5 * 25.0;
    CHECK_FALSE(detect_regression(h, options));
  }
  SECTION("too few baseline windows, and reset windows do not count")
  {
    auto young = history("q", {10, 10, 10, 10, 30}, 200);
    CHECK_FALSE(detect_regression(young, options));
    for (auto& w : h.windows)
      w.clean = false;
    h.windows.back().clean = true;
    CHECK_FALSE(detect_regression(h, options));
  }
}

TEST_CASE("detection: a rising trend that will cross the threshold within the horizon", "[heuristics]")
{
  DetectionOptions options;
  options.mean_threshold_ms = 100;
  options.trend_windows = 12;
  options.trend_min_points = 6;
  options.trend_horizon_seconds = 7 * 86400.0;
  // +0.5 ms an hour (12 ms a day) from 40 ms: at 45.5 now, 100 ms in (100 - 45.5) / 12 = 4.54 days.
  std::vector<double> means;
  for (int i = 0; i < 12; ++i)
    means.push_back(40 + 0.5 * i);
  const auto d = detect_trend(history("q", means), options);
  REQUIRE(d);
  CHECK(d->kind == DetectionKind::trend);
  CHECK(evidence(*d, "slope_ms_per_day") == Approx(12));
  CHECK(evidence(*d, "fitted_now_ms") == Approx(45.5));
  CHECK(evidence(*d, "seconds_to_threshold") / 86400.0 == Approx(54.5 / 12));
  CHECK(evidence(*d, "r_squared") == Approx(1));
  INFO(d->reason);
  CHECK(d->reason.find("reaches the 100.0 ms threshold in 4.5 days, within the 7 days horizon") != std::string::npos);

  SECTION("too slow to cross within the horizon")
  {
    std::vector<double> slow;
    for (int i = 0; i < 12; ++i)
      slow.push_back(40 + 0.1 * i);  // 2.4 ms a day: 24 days away
    CHECK_FALSE(detect_trend(history("q", slow), options));
  }
  SECTION("noise is not a trend")
  {
    CHECK_FALSE(detect_trend(history("q", {40, 60, 38, 62, 41, 59, 39, 61, 42, 58, 40, 60}), options));
  }
  SECTION("falling, or already above the threshold (slow_mean covers it)")
  {
    std::vector<double> falling(means.rbegin(), means.rend());
    CHECK_FALSE(detect_trend(history("q", falling), options));
    std::vector<double> above;
    for (int i = 0; i < 12; ++i)
      above.push_back(95 + i);
    CHECK_FALSE(detect_trend(history("q", above), options));
  }
  SECTION("too few points")
  {
    CHECK_FALSE(detect_trend(history("q", {40, 50, 60, 70, 80}), options));
  }
}

TEST_CASE("detection: plan changed", "[heuristics]")
{
  DetectionOptions options;
  auto h = history("q", {10});
  h.current_plan_hash = "p2";
  h.previous_plan_hashes = {"p1"};
  const auto d = detect_plan_change(h, options);
  REQUIRE(d);
  CHECK(d->kind == DetectionKind::plan_changed);
  CHECK(d->reason == "new plan p2 (1 plan(s) seen before, last p1); window mean 10.0 ms");
  h.previous_plan_hashes = {"p1", "p2"};
  CHECK_FALSE(detect_plan_change(h, options));  // a plan seen before
  h.previous_plan_hashes.clear();
  CHECK_FALSE(detect_plan_change(h, options));  // the first plan is not a change
}

TEST_CASE("detection: the budget keeps the most urgent fingerprints", "[heuristics]")
{
  DetectionOptions options;
  options.max_analyses = 2;
  options.top_n = 10;
  options.mean_threshold_ms = 100;
  std::vector<FingerprintHistory> all;
  all.push_back(history("big", {50}, 10000));                             // top only, huge total
  all.push_back(history("slow", {150}, 20));                              // slow mean
  all.push_back(history("regressed", {10, 10, 10, 10, 10, 10, 30}, 100));  // regression
  all.push_back(history("small", {1}, 10));
  const auto result = detect(all, options);
  REQUIRE(result.selected.size() == 2);
  CHECK(result.selected[0] == "regressed");
  CHECK(result.selected[1] == "slow");
  CHECK(result.deferred == 2);
  bool regression_recorded = false;
  for (const auto& d : result.detections)
    regression_recorded |= d.fingerprint == "regressed" && d.kind == DetectionKind::regressed;
  CHECK(regression_recorded);
  CHECK(std::string(to_string(DetectionKind::trend)) == "trend");
}
