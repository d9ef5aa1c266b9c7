#include "advisor/daemon/cycle_filing.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "advisor/daemon/announce.hpp"
#include "advisor/daemon/index_match.hpp"
#include "advisor/daemon/plan_hash.hpp"
#include "advisor/daemon/target_worker.hpp"
#include "advisor/render_json.hpp"
#include "advisor/statistics_advice.hpp"
#include "connectors/clock.hpp"
#include "connectors/store/recommendation_store.hpp"
#include "heuristics/index_selection.hpp"

namespace advisor::daemon {

namespace {

struct Merged {
  model::Recommendation recommendation;
  nlohmann::ordered_json plan_before;
  std::vector<std::string> fingerprints;
  nlohmann::ordered_json samples = nlohmann::ordered_json::array();
  nlohmann::ordered_json hypotheses = nlohmann::ordered_json::array();
};

//! The window that made the statement worth analysing, as the trace shows it.
nlohmann::ordered_json sample_json(const AnalysedStatement& statement)
{
  const auto& w = statement.window;
  return {{"fingerprint", statement.fingerprint},
          {"start", w.start_at},
          {"end", w.end_at},
          {"calls", w.calls},
          {"total_ms", w.total_ms},
          {"mean_ms", w.mean_ms},
          {"stddev_ms", w.stddev_ms},
          {"rows", w.rows},
          {"shared_blks_hit", w.shared_blks_hit},
          {"shared_blks_read", w.shared_blks_read},
          {"temp_blks_read", w.temp_blks_read},
          {"temp_blks_written", w.temp_blks_written},
          {"clean", w.clean}};
}

void add_trace(Merged& merged, const AnalysedStatement& statement)
{
  merged.samples.push_back(sample_json(statement));
  for (auto hypothesis : statement.hypotheses) {
    if (hypothesis.is_object())
      hypothesis["fingerprint"] = statement.fingerprint;
    merged.hypotheses.push_back(std::move(hypothesis));
  }
}


std::string evidence_json(const std::vector<heuristics::detection::Evidence>& evidence)
{
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& item : evidence)
    json[item.name] = item.value;
  return json.dump();
}

std::string finding_json(const model::Finding& finding)
{
  return finding_to_json(finding).dump();
}

}  // namespace

std::vector<connectors::store::FiledRecommendation> recommendations_to_file(
    const std::string& target, const std::vector<AnalysedStatement>& analysed)
{
  std::map<std::string, Merged> merged;
  std::vector<std::string> order;
  for (const auto& statement : analysed) {
    nlohmann::ordered_json plan_before = nullptr;
    if (statement.report.plan && !statement.report.plan->json.empty())
      plan_before = nlohmann::ordered_json::parse(statement.report.plan->json, nullptr, false);
    for (auto recommendation : statement.report.recommendations) {
      recommendation.target = target;
      recommendation.id = heuristics::recommendation_id(target, model::to_string(recommendation.kind),
                                                        recommendation.statement);
      // The window's figures, not the single EXPLAIN run's: what the workload really costs.
      for (auto& query : recommendation.queries) {
        query.calls = statement.window.calls;
        query.mean_ms = statement.window.mean_ms;
        query.total_ms = statement.window.total_ms;
      }
      // A day's rate from up to a day of history, not from one window: a burst in a short
      // window would otherwise stand for the whole day.
      const bool history = statement.recent_seconds > 0;
      const double seconds = history ? statement.recent_seconds : statement.window.end_at - statement.window.start_at;
      const double total_ms = history ? statement.recent_total_ms : statement.window.total_ms;
      if (recommendation.estimate.improvement && seconds > 0)
        recommendation.estimate.ms_saved_per_day =
            std::max(0.0, *recommendation.estimate.improvement) * total_ms * 86400.0 / seconds;
      auto [it, inserted] = merged.try_emplace(recommendation.id);
      if (inserted) {
        order.push_back(recommendation.id);
        it->second.recommendation = recommendation;
        it->second.plan_before = plan_before;
        it->second.fingerprints = {statement.fingerprint};
        add_trace(it->second, statement);
        continue;
      }
      auto& existing = it->second;
      existing.fingerprints.push_back(statement.fingerprint);
      add_trace(existing, statement);
      existing.recommendation.queries.insert(existing.recommendation.queries.end(), recommendation.queries.begin(),
                                             recommendation.queries.end());
      existing.recommendation.score += recommendation.score;
      auto& saved = existing.recommendation.estimate.ms_saved_per_day;
      if (recommendation.estimate.ms_saved_per_day)
        saved = saved.value_or(0) + *recommendation.estimate.ms_saved_per_day;
    }
  }
  std::vector<connectors::store::FiledRecommendation> out;
  for (const auto& id : order) {
    const auto& m = merged.at(id);
    auto r = m.recommendation;
    // Triage's score: the time it saves per day, weighed by how sure we are (issue 5).
    if (r.estimate.ms_saved_per_day)
      r.score = *r.estimate.ms_saved_per_day * r.confidence;
    auto document = recommendation_to_json(r, m.plan_before);
    document["trace"]["samples"] = m.samples;
    document["trace"]["hypotheses"] = m.hypotheses;
    out.push_back({r.id, r.target, model::to_string(r.kind), r.statement, std::max(0.0, r.score),
                   std::max(0.0, r.estimate.ms_saved_per_day.value_or(0)), m.fingerprints, document.dump()});
  }
  return out;
}

CycleOutcome file_cycle(connectors::store::HistoryStore& store, connectors::pg::Session& session,
                        const config::Target& target, const std::vector<heuristics::detection::Detection>& detections,
                        const std::vector<AnalysedStatement>& analysed, const CycleSettings& settings,
                        const FilingContext& context, Log& log, double now, CycleOutcome outcome)
{
  const std::string now_iso = connectors::utc_now_iso8601();
  const auto to_file = recommendations_to_file(target.name, analysed);
  std::set<std::string> filed_ids;
  for (const auto& r : to_file)
    filed_ids.insert(r.id);
  std::set<std::string> analysed_fingerprints;
  for (const auto& a : analysed)
    analysed_fingerprints.insert(a.fingerprint);

  // Lifecycle: open recommendations this cycle did not file again. Decided before the
  // transaction because checking the catalog talks to the target.
  struct Move {
    std::string id;
    std::string kind;
    std::string status;  //!< applied or resolved
  };
  std::vector<Move> moves;
  auto open = connectors::store::list_recommendations(store.database(), "open", target.name);
  auto active = store.active_fingerprints(target.name, now - settings.raw_retention_s);
  if (open && active) {
    const std::set<std::string> active_set(active->begin(), active->end());
    std::optional<std::vector<std::string>> indexes;  // read once, only when needed
    for (const auto& r : *open) {
      if (filed_ids.count(r.id))
        continue;
      if (r.kind == "create_index") {
        // Checked every cycle: once the index exists its query is fast and may never be
        // detected (so never re-analysed) again.
        if (!indexes) {
          auto read = index_definitions(session);
          indexes = read ? std::move(*read) : std::vector<std::string>();
        }
        if (std::any_of(indexes->begin(), indexes->end(),
                        [&](const auto& definition) { return same_index(r.statement, definition); })) {
          moves.push_back({r.id, r.kind, "applied"});
          continue;
        }
      }
      if (r.kind == "analyze") {
        const auto table = analyzed_table(r.statement);
        if (table && std::find(context.analysed_tables.begin(), context.analysed_tables.end(),
                               table->first + "." + table->second) != context.analysed_tables.end()) {
          moves.push_back({r.id, r.kind, "applied"});
          continue;
        }
      }
      const bool reanalysed = std::any_of(r.fingerprints.begin(), r.fingerprints.end(),
                                          [&](const auto& f) { return analysed_fingerprints.count(f) > 0; });
      const bool gone = std::none_of(r.fingerprints.begin(), r.fingerprints.end(),
                                     [&](const auto& f) { return active_set.count(f) > 0; });
      if (reanalysed || gone)
        moves.push_back({r.id, r.kind, "resolved"});
    }
  }

  auto error = store.transaction([&]() -> std::optional<model::Error> {
    for (const auto& d : detections)
      if (auto e = store.add_finding(target.name, d.fingerprint, std::string("detect.") + to_string(d.kind), d.reason,
                                     evidence_json(d.evidence), now))
        return e;
    for (const auto& a : analysed) {
      for (const auto& f : a.report.findings)
        if (auto e = store.add_finding(target.name, a.fingerprint, f.rule_id, f.title, finding_json(f), now))
          return e;
      if (!a.headline.empty())
        if (auto e = store.add_finding(target.name, a.fingerprint, "hypotheses", a.headline, a.hypotheses.dump(), now))
          return e;
      if (!a.report.plan)
        continue;
      auto before = store.plans(target.name, a.fingerprint);
      if (!before)
        return before.error();
      const std::string hash = plan_hash(*a.report.plan);
      auto is_new = store.record_plan(target.name, a.fingerprint, hash, a.report.plan->json, now);
      if (!is_new)
        return is_new.error();
      if (*is_new && !before->empty()) {
        const std::string message = "queryid " + a.fingerprint + ": plan changed (new plan " + hash + ")";
        log.info(target.name, message);
        if (auto e = store.add_event({now, target.name, "plan_changed", message}))
          return e;
        if (auto e = store.add_finding(target.name, a.fingerprint, "detect.plan_changed", message, "{}", now))
          return e;
      }
    }
    auto& db = store.database();
    for (const auto& r : to_file) {
      const auto before = stored_document(db, r.id);
      const auto old_status = before.is_object() ? before.value("status", std::string()) : std::string();
      auto status = connectors::store::file_recommendation(db, r, now_iso);
      if (!status)
        return status.error();
      ++outcome.filed;
      if (*status == "dismissed")
        continue;
      const auto after = stored_document(db, r.id);
      std::optional<model::Error> e;
      if (before.is_null())
        e = announce(store, context.outbox, target.name, delivery::Event::created, after, "", nullptr, now);
      else if (old_status != *status)
        e = announce(store, context.outbox, target.name, delivery::Event::updated, after,
                     "open again (was " + old_status + ")", nullptr, now);
      else if (material_change(before, after))
        e = announce(store, context.outbox, target.name, delivery::Event::updated, after,
                     "estimate or queries changed", nullptr, now);
      if (e)
        return e;
    }
    for (const auto& [id, kind, status] : moves) {
      auto done = status == "applied" ? connectors::store::mark_applied(db, id, now, now_iso)
                                      : connectors::store::set_status(db, id, status, now_iso);
      if (!done)
        return done.error();
      const auto event = status == "applied" ? delivery::Event::applied : delivery::Event::resolved;
      const std::string summary = status != "applied"  ? "no longer needed by the workload"
                                  : kind == "analyze" ? "applied outside pgadvisor (the table was analysed)"
                                                              : "applied outside pgadvisor (seen in the catalog)";
      if (auto e = announce_stored(store, context.outbox, target.name, id, event, summary, nullptr, now))
        return e;
      ++outcome.moved_on;
    }
    return store.complete_cycle(target.name, now, outcome.windows);
  });
  if (error) {
    log.error(target.name, "cannot file the cycle (" + error->message + "); the store keeps the previous cycle");
    outcome.filed = 0;
    outcome.moved_on = 0;
  }
  return outcome;
}

}  // namespace advisor::daemon
