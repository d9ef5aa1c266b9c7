// Cost of the pure triage half of issue 5, per fingerprint or recommendation, so a daemon
// cycle's budget can be checked: hypotheses (with a plan diff), ranking, the L1 decision and
// verification. Also prints the hypotheses of the staged regression (plan change first).
// Usage: bench_triage [n] (default 100000). Prints figures; not a test.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "heuristics/hypotheses/hypotheses.hpp"
#include "heuristics/triage/auto_apply.hpp"
#include "heuristics/triage/score.hpp"
#include "heuristics/verification.hpp"

namespace {

using namespace heuristics;  // NOLINT: bench, many modules

double now_us()
{
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

hypotheses::WorkFigures work(double calls, double mean_ms)
{
  hypotheses::WorkFigures w;
  w.seconds = 3600;
  w.calls = calls;
  w.total_ms = calls * mean_ms;
  w.rows = calls * 10;
  w.shared_blks_hit = calls * 50;
  w.shared_blks_read = calls * 5;
  return w;
}

hypotheses::FingerprintEvidence evidence(int i)
{
  hypotheses::FingerprintEvidence e;
  e.fingerprint = std::to_string(i);
  e.baseline = work(1000, 1.0);
  e.current = work(1000 + i % 3000, 1.0 + i % 7);
  e.current.temp_blks_written = (i % 5 == 0) ? 5000 : 0;
  e.plan_change = hypotheses::PlanChange{
      {"a", {{"Nested Loop", "", ""}, {"Index Scan", "shop.orders", "orders_customer_id_idx"}, {"Seq Scan", "shop.customers", ""}}},
      {"b", {{"Hash Join", "", ""}, {"Seq Scan", "shop.orders", ""}, {"Hash", "", ""}, {"Seq Scan", "shop.customers", ""}}},
      1699920000.0 + 14 * 3600 + 300};
  hypotheses::TableEvidence t;
  t.name = "shop.orders";
  t.live_rows_before = 1000000;
  t.live_rows_now = 1380000;
  t.modified_since_analyze = 1200000;
  t.analyze_age_seconds = 9 * 86400.0;
  t.dead_rows_now = (i % 4 == 0) ? 600000 : 1000;
  e.tables = {t};
  return e;
}

}  // namespace

int main(int argc, char** argv)
{
  const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  std::vector<hypotheses::FingerprintEvidence> inputs;
  for (int i = 0; i < n; ++i)
    inputs.push_back(evidence(i));

  std::size_t produced = 0;
  double t0 = now_us();
  for (const auto& e : inputs)
    produced += hypotheses::hypothesize(e).size();
  const double hyp_us = (now_us() - t0) / n;

  std::vector<triage::TriageItem> items;
  for (int i = 0; i < n; ++i) {
    std::string target = "t";
    target += std::to_string(i % 8);
    items.push_back({target, std::to_string(i), model::RecommendationKind::create_index,
                     static_cast<double>((i * 7919) % 100000), (i % 10) / 10.0, triage::Risk::low});
  }
  t0 = now_us();
  const auto ranked = triage::rank(items);
  const double rank_ms = (now_us() - t0) / 1000;

  triage::AutoApplyPolicy policy;
  policy.enabled = true;
  policy.kinds = {model::RecommendationKind::create_index};
  policy.window = triage::TimeWindow{120, 300};
  std::size_t applied = 0;
  t0 = now_us();
  for (int i = 0; i < n; ++i)
    applied += triage::decide({model::RecommendationKind::create_index, triage::Risk::low, (i % 2000) << 20}, policy,
                              i % 1440).apply();
  const double decide_ns = (now_us() - t0) * 1000 / n;

  std::size_t verified = 0;
  t0 = now_us();
  for (int i = 0; i < n; ++i) {
    verification::VerificationInput in;
    in.before = work(1000, 10);
    in.after = work(1000, 1 + i % 20);
    verified += verification::verify(in).outcome == verification::Outcome::verified;
  }
  const double verify_us = (now_us() - t0) / n;

  std::printf("fingerprints: %d\n", n);
  std::printf("hypotheses: %.2f us per fingerprint (%.1f hypotheses each)\n", hyp_us,
              static_cast<double>(produced) / n);
  std::printf("rank: %.1f ms for %zu recommendations across 8 targets\n", rank_ms, ranked.size());
  std::printf("L1 decision: %.0f ns each (%zu of %d allowed)\n", decide_ns, applied, n);
  std::printf("verification: %.2f us each (%zu verified)\n", verify_us, verified);

  const auto staged = evidence(1);
  const auto hs = hypotheses::hypothesize(staged);
  std::printf("\nstaged regression: %s\n", hypotheses::headline(staged, hs).c_str());
  for (const auto& h : hs)
    std::printf("  %.2f %-17s %s -> %s\n", h.strength, hypotheses::to_string(h.cause), h.statement.c_str(),
                h.remedy ? model::to_string(*h.remedy) : "none known");
  return 0;
}
