#include "heuristics/hypotheses/hypotheses.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "heuristics/hypotheses/plan_diff.hpp"
#include "heuristics/number_format.hpp"

namespace heuristics::hypotheses {

namespace {

std::string ratio_text(double ratio)
{
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f×", ratio);
  return buffer;
}

std::string days_text(double seconds)
{
  const double days = seconds / 86400.0;
  if (days >= 1.0)
    return format_number(std::floor(days)) + (days >= 2.0 ? " days" : " day");
  return format_number(std::floor(seconds / 3600.0)) + " h";
}

//! "14:05 UTC" for a Unix time.
std::string clock_text(double unix_seconds)
{
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%H:%M UTC", &tm);
  return buffer;
}

double clamp01(double value)
{
  return std::clamp(value, 0.0, 1.0);
}

//! Strength from a growth ratio: 0.4 at min_ratio, +0.15 per doubling, capped.
double ratio_strength(double ratio, double cap)
{
  return std::min(cap, 0.4 + 0.15 * std::log2(std::max(ratio, 1.0)));
}

bool has_baseline(const FingerprintEvidence& e)
{
  return e.baseline.calls > 0;
}

double mean_ratio(const FingerprintEvidence& e)
{
  const double before = e.baseline.mean_ms();
  return before > 0 ? e.current.mean_ms() / before : 0;
}

bool plan_scans_sequentially(const FingerprintEvidence& e, const std::string& table)
{
  if (!e.plan_change)
    return false;
  return std::any_of(e.plan_change->after.items.begin(), e.plan_change->after.items.end(),
                     [&](const PlanItem& item) { return item.relation == table && item.node_type == "Seq Scan"; });
}

std::optional<Hypothesis> plan_change(const FingerprintEvidence& e)
{
  if (!e.plan_change)
    return std::nullopt;
  const PlanDiff diff = diff_plans(e.plan_change->before, e.plan_change->after);
  Hypothesis h;
  h.cause = Cause::plan_change;
  const double ratio = mean_ratio(e);
  // A new plan that coincides with a slowdown is the most direct explanation there is.
  h.strength = diff.empty() ? 0.5 : (ratio >= 1.5 ? 0.95 : 0.7);
  h.statement = "the plan changed";
  if (e.plan_change->changed_at > 0)
    h.statement += " at " + clock_text(e.plan_change->changed_at);
  h.statement += ": " + summarize(diff);
  h.figures = {{"mean_ratio", ratio},
               {"nodes_appeared", static_cast<double>(diff.appeared.size())},
               {"nodes_disappeared", static_cast<double>(diff.disappeared.size())}};
  if (!diff.indexes_disappeared.empty()) {
    // The index the old plan used is no longer used: either it is gone (restore it) or the
    // planner stopped choosing it (statistics).
    h.remedy = model::RecommendationKind::create_index;
    h.remedy_note = "restore or recreate " + diff.indexes_disappeared.front() +
                    " if it was dropped; otherwise ANALYZE the table";
  } else {
    h.remedy = model::RecommendationKind::analyze;
    h.remedy_note = "ANALYZE the tables so the planner's estimates match the data";
  }
  return h;
}

std::optional<Hypothesis> more_rows(const FingerprintEvidence& e, const HypothesisOptions& o)
{
  if (!has_baseline(e))
    return std::nullopt;
  const double before = e.baseline.per_call(e.baseline.rows);
  const double now = e.current.per_call(e.current.rows);
  if (before <= 0 || now < o.min_ratio * before)
    return std::nullopt;
  const double ratio = now / before;
  Hypothesis h;
  h.cause = Cause::more_rows;
  h.strength = ratio_strength(ratio, 0.8);
  h.statement = "rows per call " + ratio_text(ratio) + " its baseline (" + format_number(before) + " → " +
                format_number(now) + ")";
  h.figures = {{"rows_per_call_before", before}, {"rows_per_call", now}, {"ratio", ratio}};
  h.remedy_note = "none known: the query returns more data; consider a LIMIT or a narrower filter";
  return h;
}

std::optional<Hypothesis> cache_misses(const FingerprintEvidence& e, const HypothesisOptions& o)
{
  const double read = e.current.per_call(e.current.shared_blks_read);
  const double hit = e.current.per_call(e.current.shared_blks_hit);
  const double share = read + hit > 0 ? read / (read + hit) : 0;
  if (share < o.min_read_share)
    return std::nullopt;
  const double before = has_baseline(e) ? e.baseline.per_call(e.baseline.shared_blks_read) : 0;
  double strength = 0;
  if (has_baseline(e) && before > 0) {
    if (read < o.min_ratio * before)
      return std::nullopt;
    strength = ratio_strength(read / before, 0.8);
  } else if (has_baseline(e)) {
    if (read < o.min_blocks_read_per_call / 10)
      return std::nullopt;
    strength = 0.6;  // the baseline read nothing from disk; now it does
  } else {
    if (read < o.min_blocks_read_per_call)
      return std::nullopt;
    strength = 0.35;  // no baseline: a cold cache is only a possibility
  }
  Hypothesis h;
  h.cause = Cause::cache_misses;
  h.strength = strength;
  h.statement = format_number(read) + " shared blocks read from outside the cache per call (" +
                format_percent(share) + " of the blocks touched";
  h.statement += has_baseline(e) ? ", baseline " + format_number(before) + " per call)" : ")";
  h.figures = {{"blocks_read_per_call", read}, {"blocks_hit_per_call", hit}, {"read_share", share},
               {"blocks_read_per_call_before", before}};
  h.remedy = model::RecommendationKind::create_index;
  h.remedy_note = "an index that reads fewer pages, if one is recommended; otherwise more shared_buffers";
  return h;
}

std::optional<Hypothesis> temp_spill(const FingerprintEvidence& e)
{
  const double written = e.current.per_call(e.current.temp_blks_written);
  if (written <= 0)
    return std::nullopt;
  const double before = has_baseline(e) ? e.baseline.per_call(e.baseline.temp_blks_written) : 0;
  if (before > 0 && written < 1.5 * before)
    return std::nullopt;  // it always spilled about this much: not what changed
  Hypothesis h;
  h.cause = Cause::temp_spill;
  h.strength = before > 0 ? 0.55 : (has_baseline(e) ? 0.7 : 0.45);
  h.statement = format_number(written) + " temp blocks written per call (" +
                format_bytes(static_cast<std::int64_t>(written * 8192)) + "): a sort or hash spills to disk";
  if (has_baseline(e))
    h.statement += before > 0 ? " (baseline " + format_number(before) + ")" : " (none in the baseline)";
  h.figures = {{"temp_blocks_written_per_call", written}, {"temp_blocks_written_per_call_before", before}};
  h.remedy = model::RecommendationKind::config;
  h.remedy_note = "raise work_mem for this workload (or an index that avoids the sort)";
  return h;
}

void table_hypotheses(const FingerprintEvidence& e, const HypothesisOptions& o, std::vector<Hypothesis>& out)
{
  const bool plan_changed = e.plan_change.has_value();
  for (const auto& t : e.tables) {
    if (t.live_rows_before > 0 && t.live_rows_now >= (1 + o.min_growth) * t.live_rows_before) {
      const double growth = t.live_rows_now / t.live_rows_before - 1;
      Hypothesis h;
      h.cause = Cause::table_growth;
      h.table = t.name;
      h.strength = std::min(0.7, 0.3 + 0.2 * std::log2(1 + growth));
      h.statement = t.name + " grew " + format_percent(growth) + " (" + format_number(t.live_rows_before) +
                    " → " + format_number(t.live_rows_now) + " rows)";
      h.figures = {{"live_rows_before", t.live_rows_before}, {"live_rows", t.live_rows_now}, {"growth", growth}};
      if (plan_scans_sequentially(e, t.name)) {
        h.remedy = model::RecommendationKind::create_index;
        h.remedy_note = "an index so the plan stops scanning all of " + t.name;
      } else {
        h.remedy_note = "none known: more data makes the same plan slower";
      }
      out.push_back(std::move(h));
    }
    const double live = std::max(t.live_rows_now, 1.0);
    const double modified_fraction = t.modified_since_analyze / live;
    const bool never = !t.analyze_age_seconds.has_value();
    const bool old = t.analyze_age_seconds && *t.analyze_age_seconds >= o.stale_age_seconds &&
                     t.modified_since_analyze > 0;
    if (modified_fraction >= o.stale_modified_fraction || old || (never && t.live_rows_now > 0)) {
      Hypothesis h;
      h.cause = Cause::stale_statistics;
      h.table = t.name;
      // Stale statistics explain a plan change far better than they explain a slow same plan.
      h.strength = clamp01((plan_changed ? 0.75 : 0.45) + 0.1 * std::min(modified_fraction, 1.0));
      h.statement = t.name + (never ? std::string(" was never analysed")
                                    : " was last analysed " + days_text(*t.analyze_age_seconds) + " ago");
      h.statement += " (" + format_number(t.modified_since_analyze) + " rows modified since, " +
                     format_percent(modified_fraction) + " of the table)";
      h.figures = {{"modified_since_analyze", t.modified_since_analyze},
                   {"modified_fraction", modified_fraction},
                   {"analyze_age_seconds", t.analyze_age_seconds.value_or(-1)}};
      h.remedy = model::RecommendationKind::analyze;
      h.remedy_note = "ANALYZE " + t.name;
      out.push_back(std::move(h));
    }
    const double dead_fraction = t.dead_rows_now / std::max(t.dead_rows_now + t.live_rows_now, 1.0);
    if (dead_fraction >= o.bloat_dead_fraction) {
      Hypothesis h;
      h.cause = Cause::bloat;
      h.table = t.name;
      h.strength = std::min(0.6, 0.3 + 0.4 * dead_fraction);
      h.statement = t.name + " has " + format_number(t.dead_rows_now) + " dead tuples (" +
                    format_percent(dead_fraction) + " of its rows): scans read dead rows";
      h.figures = {{"dead_rows", t.dead_rows_now}, {"dead_fraction", dead_fraction}};
      h.remedy_note = "none known: VACUUM " + t.name + " and check autovacuum keeps up";
      out.push_back(std::move(h));
    }
  }
}

std::optional<Hypothesis> load(const FingerprintEvidence& e, const HypothesisOptions& o)
{
  if (!has_baseline(e))
    return std::nullopt;
  const double before = e.baseline.calls_per_second();
  const double now = e.current.calls_per_second();
  if (before <= 0 || now < o.min_load_ratio * before)
    return std::nullopt;
  Hypothesis h;
  h.cause = Cause::load;
  h.strength = ratio_strength(now / before, 0.6) - 0.1;  // load is a context, rarely the cause alone
  h.statement = "calls per second " + ratio_text(now / before) + " the baseline (" + format_number(before) +
                " → " + format_number(now) + "): contention for CPU, I/O or locks";
  h.figures = {{"calls_per_second_before", before}, {"calls_per_second", now}};
  h.remedy_note = "none known: the load itself grew";
  return h;
}

}  // namespace

const char* to_string(Cause cause)
{
  switch (cause) {
    case Cause::plan_change: return "plan_change";
    case Cause::more_rows: return "more_rows";
    case Cause::cache_misses: return "cache_misses";
    case Cause::temp_spill: return "temp_spill";
    case Cause::table_growth: return "table_growth";
    case Cause::stale_statistics: return "stale_statistics";
    case Cause::bloat: return "bloat";
    case Cause::load: return "load";
  }
  return "unknown";
}

std::vector<Hypothesis> hypothesize(const FingerprintEvidence& evidence, const HypothesisOptions& options)
{
  std::vector<Hypothesis> out;
  auto add = [&](std::optional<Hypothesis> h) {
    if (h)
      out.push_back(std::move(*h));
  };
  add(plan_change(evidence));
  add(more_rows(evidence, options));
  add(cache_misses(evidence, options));
  add(temp_spill(evidence));
  table_hypotheses(evidence, options, out);
  add(load(evidence, options));
  std::stable_sort(out.begin(), out.end(), [](const Hypothesis& a, const Hypothesis& b) {
    if (a.strength != b.strength)
      return a.strength > b.strength;
    return static_cast<int>(a.cause) < static_cast<int>(b.cause);
  });
  return out;
}

std::string headline(const FingerprintEvidence& evidence, const std::vector<Hypothesis>& hypotheses, std::size_t max)
{
  std::string out;
  const double ratio = mean_ratio(evidence);
  if (ratio > 0)
    out = "mean time " + ratio_text(ratio) + " its baseline (" + format_ms(evidence.baseline.mean_ms()) + " → " +
          format_ms(evidence.current.mean_ms()) + ")";
  else
    out = "mean time " + format_ms(evidence.current.mean_ms());
  for (std::size_t i = 0; i < hypotheses.size() && i < max; ++i)
    out += "; " + hypotheses[i].statement;
  return out;
}

}  // namespace heuristics::hypotheses
