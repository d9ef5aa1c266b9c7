#include "heuristics/verification.hpp"

#include <cstdio>

#include "heuristics/number_format.hpp"

namespace heuristics::verification {

namespace {

std::string ratio_text(double ratio)
{
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f×", ratio);
  return buffer;
}

double per_hour(const WorkFigures& w, double value)
{
  return w.seconds > 0 ? value * 3600.0 / w.seconds : 0;
}

double buffers(const WorkFigures& w)
{
  return w.per_call(w.shared_blks_hit + w.shared_blks_read);
}

std::vector<WriteSlowdown> write_slowdowns(const VerificationInput& in, const VerificationOptions& o)
{
  std::vector<WriteSlowdown> out;
  for (const auto& w : in.writes) {
    if (w.before.calls < o.min_calls || w.after.calls < o.min_calls || w.before.mean_ms() <= 0)
      continue;
    const double ratio = w.after.mean_ms() / w.before.mean_ms();
    if (ratio < o.write_slowdown_ratio)
      continue;
    WriteSlowdown s;
    s.fingerprint = w.fingerprint;
    s.mean_before_ms = w.before.mean_ms();
    s.mean_after_ms = w.after.mean_ms();
    s.ratio = ratio;
    s.extra_ms_per_hour = (s.mean_after_ms - s.mean_before_ms) * per_hour(w.after, w.after.calls);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

const char* to_string(Outcome outcome)
{
  switch (outcome) {
    case Outcome::pending: return "pending";
    case Outcome::verified: return "verified";
    case Outcome::no_effect: return "no_effect";
    case Outcome::regressed: return "regressed";
  }
  return "pending";
}

bool decidable(const WorkFigures& before, const WorkFigures& after, const VerificationOptions& options)
{
  return before.calls >= options.min_calls && after.calls >= options.min_calls && before.seconds > 0 &&
         after.seconds > 0;
}

Verification verify(const VerificationInput& in, const VerificationOptions& o)
{
  Verification v;
  v.calls_before = in.before.calls;
  v.calls_after = in.after.calls;
  v.mean_before_ms = in.before.mean_ms();
  v.mean_after_ms = in.after.mean_ms();
  v.total_ms_per_hour_before = per_hour(in.before, in.before.total_ms);
  v.total_ms_per_hour_after = per_hour(in.after, in.after.total_ms);
  v.rows_per_call_before = in.before.per_call(in.before.rows);
  v.rows_per_call_after = in.after.per_call(in.after.rows);
  v.buffers_per_call_before = buffers(in.before);
  v.buffers_per_call_after = buffers(in.after);
  if (!decidable(in.before, in.after, o)) {
    v.reason = "waiting for " + format_number(o.min_calls) + " calls on each side (before " +
               format_number(in.before.calls) + ", after " + format_number(in.after.calls) + ")";
    return v;
  }
  v.speedup = v.mean_after_ms > 0 ? v.mean_before_ms / v.mean_after_ms : 0;
  v.saved_ms_per_hour = (v.mean_before_ms - v.mean_after_ms) * per_hour(in.after, in.after.calls);
  v.write_slowdowns = write_slowdowns(in, o);
  double write_cost = 0;
  for (const auto& s : v.write_slowdowns)
    write_cost += s.extra_ms_per_hour;

  const std::string figures = "mean " + format_ms(v.mean_before_ms) + " → " + format_ms(v.mean_after_ms) +
                              " over " + format_number(v.calls_before) + " / " + format_number(v.calls_after) +
                              " calls; buffers per call " + format_number(v.buffers_per_call_before) + " → " +
                              format_number(v.buffers_per_call_after) + "; rows per call " +
                              format_number(v.rows_per_call_before) + " → " + format_number(v.rows_per_call_after);
  std::string writes;
  if (!v.write_slowdowns.empty())
    writes = "; " + std::to_string(v.write_slowdowns.size()) + " write statement(s) slower, costing " +
             format_ms(write_cost) + " per hour";

  const bool faster = v.mean_after_ms <= 0 ? v.mean_before_ms > 0 : v.speedup >= o.improvement_ratio;
  const bool slower = v.mean_before_ms > 0 && v.mean_after_ms >= o.regression_ratio * v.mean_before_ms;
  if (slower) {
    v.outcome = Outcome::regressed;
    v.reason = "slower after the change (" + ratio_text(v.mean_after_ms / v.mean_before_ms) + "): " + figures + writes;
  } else if (faster && write_cost > v.saved_ms_per_hour) {
    v.outcome = Outcome::regressed;
    v.reason = "the writes lost more (" + format_ms(write_cost) + "/h) than the query gained (" +
               format_ms(v.saved_ms_per_hour) + "/h): " + figures + writes;
  } else if (faster) {
    v.outcome = Outcome::verified;
    v.reason = (v.speedup > 0 ? ratio_text(v.speedup) + " faster, " : std::string("faster, ")) + "saving " +
               format_ms(v.saved_ms_per_hour) + " per hour: " + figures + writes;
  } else {
    v.outcome = Outcome::no_effect;
    v.reason = "no clear change (" + (v.speedup > 0 ? ratio_text(v.speedup) : std::string("n/a")) +
               ", needs " + ratio_text(o.improvement_ratio) + "): " + figures + writes;
  }
  return v;
}

}  // namespace heuristics::verification
