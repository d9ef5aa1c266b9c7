#include "advisor/daemon/verification_step.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "advisor/daemon/evidence.hpp"
#include "advisor/statistics_advice.hpp"
#include "connectors/postgres/index_applier.hpp"
#include "parser/query.hpp"

namespace advisor::daemon {

namespace verification = heuristics::verification;

namespace {

//! How far back the "before" side and the write statements are looked for.
constexpr double before_span_s = 7 * 86400.0;

verification::WorkFigures sum(const std::vector<connectors::store::WindowRecord>& windows)
{
  verification::WorkFigures f;
  for (const auto& w : windows)
    add_window(f, w);
  return f;
}

//! The table the applied change is about: schema (may be empty) and name.
std::optional<std::pair<std::string, std::string>> changed_table(const connectors::store::StoredRecommendation& r)
{
  if (r.kind == "create_index") {
    auto index = connectors::pg::read_index_statement(r.statement);
    if (!index)
      return std::nullopt;
    return std::make_pair(index->schema, index->table);
  }
  if (r.kind == "analyze")
    return analyzed_table(r.statement);
  return std::nullopt;
}

bool writes_table(const std::string& sql, const std::pair<std::string, std::string>& table)
{
  auto shape = parser::shape_of(sql);
  if (!shape)
    return false;
  using parser::StatementKind;
  if (shape->kind != StatementKind::insert && shape->kind != StatementKind::update &&
      shape->kind != StatementKind::delete_ && shape->kind != StatementKind::merge)
    return false;
  for (const auto& ref : shape->tables)
    if (ref.name == table.second && (ref.schema.empty() || table.first.empty() || ref.schema == table.first))
      return true;
  return false;
}

std::optional<std::pair<verification::WorkFigures, verification::WorkFigures>> before_after(
    connectors::store::HistoryStore& store, const std::string& target, const std::string& fingerprint,
    double applied_at)
{
  // The window that straddles applied_at belongs to neither side.
  auto before = store.windows_between(target, fingerprint, applied_at - before_span_s, applied_at);
  auto after = store.windows_between(target, fingerprint, applied_at, 1e18);
  if (!before || !after)
    return std::nullopt;
  return std::make_pair(sum(*before), sum(*after));
}

}  // namespace

verification::VerificationOptions verification_options(const config::Config& config)
{
  verification::VerificationOptions o;
  o.min_calls = static_cast<double>(config.integer("verification.min_calls"));
  o.improvement_ratio = config.number("verification.improvement_ratio");
  o.regression_ratio = config.number("verification.regression_ratio");
  o.write_slowdown_ratio = config.number("verification.write_slowdown_ratio");
  return o;
}

std::vector<VerificationResult> verify_applied(connectors::store::HistoryStore& store, const std::string& target,
                                               const std::vector<connectors::store::StoredRecommendation>& applied,
                                               const verification::VerificationOptions& options)
{
  std::vector<VerificationResult> out;
  // Read once, when a table needs its writes: the statements active since the earliest change.
  std::optional<std::vector<std::string>> active;
  std::map<std::string, std::string> texts;
  double earliest_applied = std::numeric_limits<double>::infinity();
  for (const auto& r : applied)
    if (r.applied_at)
      earliest_applied = std::min(earliest_applied, *r.applied_at);
  for (const auto& r : applied) {
    if (!r.applied_at || r.fingerprints.empty())
      continue;
    const double applied_at = *r.applied_at;
    // A recommendation serving several statements is judged on their sum.
    verification::VerificationInput input;
    input.fingerprint = r.fingerprints.front();
    bool readable = true;
    for (const auto& fingerprint : r.fingerprints) {
      auto sides = before_after(store, target, fingerprint, applied_at);
      if (!sides) {
        readable = false;
        break;
      }
      for (auto [side, add] : {std::pair{&input.before, &sides->first}, std::pair{&input.after, &sides->second}}) {
        side->seconds = std::max(side->seconds, add->seconds);
        side->calls += add->calls;
        side->total_ms += add->total_ms;
        side->rows += add->rows;
        side->shared_blks_hit += add->shared_blks_hit;
        side->shared_blks_read += add->shared_blks_read;
        side->temp_blks_read += add->temp_blks_read;
        side->temp_blks_written += add->temp_blks_written;
      }
    }
    // Still waiting for calls: the write statements (a parse of every active text) can wait too.
    if (!readable || !verification::decidable(input.before, input.after, options))
      continue;
    if (const auto table = changed_table(r)) {
      if (!active) {
        auto read = store.active_fingerprints(target, earliest_applied - before_span_s);
        active = read ? std::move(*read) : std::vector<std::string>();
      }
      for (const auto& fingerprint : *active) {
        if (std::find(r.fingerprints.begin(), r.fingerprints.end(), fingerprint) != r.fingerprints.end())
          continue;
        auto [it, inserted] = texts.try_emplace(fingerprint);
        if (inserted) {
          auto text = store.statement(target, fingerprint);
          if (text && text->has_value())
            it->second = **text;
        }
        if (it->second.empty() || !writes_table(it->second, *table))
          continue;
        auto sides = before_after(store, target, fingerprint, applied_at);
        if (sides)
          input.writes.push_back({fingerprint, sides->first, sides->second});
      }
    }
    auto result = verification::verify(input, options);
    if (result.outcome == verification::Outcome::pending)
      continue;
    out.push_back({r, std::move(result)});
  }
  return out;
}

nlohmann::ordered_json verification_to_json(const verification::Verification& v)
{
  nlohmann::ordered_json slowdowns = nlohmann::ordered_json::array();
  for (const auto& s : v.write_slowdowns)
    slowdowns.push_back({{"fingerprint", s.fingerprint},
                         {"mean_before_ms", s.mean_before_ms},
                         {"mean_after_ms", s.mean_after_ms},
                         {"ratio", s.ratio},
                         {"extra_ms_per_hour", s.extra_ms_per_hour}});
  return {{"outcome", verification::to_string(v.outcome)},
          {"reason", v.reason},
          {"calls_before", v.calls_before},
          {"calls_after", v.calls_after},
          {"mean_before_ms", v.mean_before_ms},
          {"mean_after_ms", v.mean_after_ms},
          {"speedup", v.speedup},
          {"total_ms_per_hour_before", v.total_ms_per_hour_before},
          {"total_ms_per_hour_after", v.total_ms_per_hour_after},
          {"rows_per_call_before", v.rows_per_call_before},
          {"rows_per_call_after", v.rows_per_call_after},
          {"buffers_per_call_before", v.buffers_per_call_before},
          {"buffers_per_call_after", v.buffers_per_call_after},
          {"saved_ms_per_hour", v.saved_ms_per_hour},
          {"write_slowdowns", slowdowns}};
}

std::string verification_status(verification::Outcome outcome)
{
  switch (outcome) {
    case verification::Outcome::verified: return "verified";
    case verification::Outcome::regressed: return "regressed";
    default: return "no_effect";
  }
}

}  // namespace advisor::daemon
