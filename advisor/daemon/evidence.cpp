#include "advisor/daemon/evidence.hpp"

#include <algorithm>

#include "advisor/daemon/plan_hash.hpp"
#include "connectors/store/evidence_store.hpp"
#include "heuristics/hypotheses/plan_diff.hpp"

namespace advisor::daemon {

namespace {

namespace hyp = heuristics::hypotheses;

//! Plans without VERBOSE name relations without their schema; the tables the statement
//! reads are schema-qualified. Qualify a bare name when exactly one of them has it, so that
//! the plan's items and the table evidence talk about the same "shop.orders".
void qualify_relations(hyp::PlanOutline& outline, const std::vector<model::TableInfo>& tables)
{
  for (auto& item : outline.items) {
    if (item.relation.empty() || item.relation.find('.') != std::string::npos)
      continue;
    const model::TableInfo* match = nullptr;
    int matches = 0;
    for (const auto& t : tables)
      if (t.name == item.relation) {
        match = &t;
        ++matches;
      }
    if (matches == 1)
      item.relation = match->schema + "." + match->name;
  }
}

std::optional<hyp::PlanChange> plan_change_of(connectors::store::Database& db, const std::string& target,
                                              const std::string& fingerprint, const AnalysisReport& report,
                                              double baseline_start, double now)
{
  if (!report.plan)
    return std::nullopt;
  const std::string hash = plan_hash(*report.plan);
  auto other = connectors::store::latest_other_plan(db, target, fingerprint, hash);
  if (!other || !other->has_value())
    return std::nullopt;
  auto before_plan = model::parse_explain_json((*other)->plan_json);
  if (!before_plan)
    return std::nullopt;

  // When the current plan was first seen after the other one was last seen, that is when it
  // changed; otherwise (not recorded yet, or the plan flipped back to an older one) it changed
  // in this cycle.
  double changed_at = now;
  auto current = connectors::store::stored_plan(db, target, fingerprint, hash);
  if (current && current->has_value() && (*current)->first_seen_at > (*other)->last_seen_at)
    changed_at = (*current)->first_seen_at;
  // A change older than the baseline is part of the normal the current window is compared
  // with: it does not explain a deviation from it.
  if (baseline_start > 0 && changed_at < baseline_start)
    return std::nullopt;

  hyp::PlanChange change;
  change.before = hyp::outline_of(*before_plan, (*other)->plan_hash);
  change.after = hyp::outline_of(*report.plan, hash);
  qualify_relations(change.before, report.tables);
  qualify_relations(change.after, report.tables);
  change.changed_at = changed_at;
  return change;
}

hyp::TableEvidence table_evidence(connectors::store::Database& db, const std::string& target,
                                  const model::TableInfo& table, double baseline_start, double now)
{
  const auto& activity = *table.activity;
  hyp::TableEvidence t;
  t.name = table.schema + "." + table.name;
  t.live_rows_now = static_cast<double>(activity.n_live_tup);
  t.dead_rows_now = static_cast<double>(activity.n_dead_tup);
  t.modified_since_analyze = static_cast<double>(activity.n_mod_since_analyze);
  t.analyze_age_seconds = activity.seconds_since_analyze;
  t.table_bytes = static_cast<double>(std::max<std::int64_t>(0, table.size_bytes));
  auto snapshot = connectors::store::table_snapshot_before(db, target, table.schema, table.name, baseline_start);
  if (!snapshot || !snapshot->has_value())
    return t;
  const auto& s = **snapshot;
  t.live_rows_before = std::max(0.0, s.n_live_tup);
  const double writes_now = static_cast<double>(activity.n_tup_ins + activity.n_tup_upd + activity.n_tup_del);
  const double span = now - s.at;
  // Fewer writes now than in the snapshot means the statistics were reset: no rate.
  if (span > 0 && writes_now >= s.writes)
    t.writes_per_second = (writes_now - s.writes) / span;
  return t;
}

}  // namespace

void add_window(heuristics::hypotheses::WorkFigures& sum, const connectors::store::WindowRecord& w)
{
  sum.seconds += std::max(0.0, w.end_at - w.start_at);
  sum.calls += w.calls;
  sum.total_ms += w.total_ms;
  sum.rows += w.rows;
  sum.shared_blks_hit += w.shared_blks_hit;
  sum.shared_blks_read += w.shared_blks_read;
  sum.temp_blks_read += w.temp_blks_read;
  sum.temp_blks_written += w.temp_blks_written;
}

hyp::FingerprintEvidence gather_evidence(connectors::store::HistoryStore& store, const std::string& target,
                                         const std::string& fingerprint, const std::string& detection,
                                         const AnalysisReport* report, double now)
{
  hyp::FingerprintEvidence evidence;
  evidence.fingerprint = fingerprint;
  evidence.detection = detection;

  double baseline_start = 0;
  auto windows = store.windows(target, fingerprint, evidence_baseline_windows + 1);
  if (windows && !windows->empty()) {
    add_window(evidence.current, windows->back());
    for (std::size_t i = 0; i + 1 < windows->size(); ++i) {
      const auto& w = (*windows)[i];
      if (!w.clean)
        continue;  // a reset or restart inside: its figures are not a normal
      if (evidence.baseline.calls == 0 && w.calls > 0)
        baseline_start = w.start_at;
      add_window(evidence.baseline, w);
    }
    if (baseline_start == 0)
      baseline_start = windows->back().start_at;
  }
  if (!report)
    return evidence;

  auto& db = store.database();
  evidence.plan_change = plan_change_of(db, target, fingerprint, *report, baseline_start, now);
  const double snapshot_at = baseline_start > 0 ? baseline_start : now;
  for (const auto& table : report->tables)
    if (table.activity)
      evidence.tables.push_back(table_evidence(db, target, table, snapshot_at, now));
  return evidence;
}

nlohmann::ordered_json hypotheses_to_json(const std::vector<hyp::Hypothesis>& hypotheses)
{
  auto out = nlohmann::ordered_json::array();
  for (const auto& h : hypotheses) {
    auto figures = nlohmann::ordered_json::object();
    for (const auto& f : h.figures)
      figures[f.name] = f.value;
    nlohmann::ordered_json item;
    item["cause"] = hyp::to_string(h.cause);
    item["strength"] = h.strength;
    item["statement"] = h.statement;
    item["table"] = h.table.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.table);
    item["figures"] = std::move(figures);
    item["remedy"] = h.remedy ? nlohmann::ordered_json(model::to_string(*h.remedy)) : nlohmann::ordered_json(nullptr);
    item["remedy_note"] = h.remedy_note;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace advisor::daemon
