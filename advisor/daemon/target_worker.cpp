#include "advisor/daemon/target_worker.hpp"

#include <algorithm>
#include <cctype>
#include <future>
#include <map>
#include <set>

#include "advisor/daemon/analysis_step.hpp"
#include "advisor/daemon/baseline.hpp"
#include "advisor/daemon/cycle_filing.hpp"
#include "advisor/daemon/evidence.hpp"
#include "advisor/daemon/lifecycle_records.hpp"
#include "advisor/daemon/table_changes.hpp"
#include "advisor/daemon/verification_step.hpp"
#include "connectors/postgres/conninfo.hpp"
#include "connectors/store/evidence_store.hpp"
#include "connectors/store/recommendation_store.hpp"
#include "heuristics/hypotheses/hypotheses.hpp"
#include "parser/sql_comments.hpp"

namespace advisor::daemon {

namespace {

std::string seconds_text(std::chrono::milliseconds delay)
{
  const auto s = delay.count() / 1000.0;
  char text[32];
  std::snprintf(text, sizeof text, s < 10 ? "%.1fs" : "%.0fs", s);
  return text;
}

connectors::store::WindowRecord to_record(const std::string& target, const heuristics::detection::StatementDelta& d,
                                          const heuristics::detection::DeltaWindow& window)
{
  connectors::store::WindowRecord w;
  w.target = target;
  w.fingerprint = std::to_string(d.key.queryid);
  w.start_at = window.start;
  w.end_at = window.end;
  w.calls = d.calls;
  w.total_ms = d.total_exec_ms;
  w.mean_ms = d.mean_ms();
  w.stddev_ms = d.stddev_ms();
  w.rows = d.rows;
  w.shared_blks_hit = d.shared_blks_hit;
  w.shared_blks_read = d.shared_blks_read;
  w.temp_blks_read = d.temp_blks_read;
  w.temp_blks_written = d.temp_blks_written;
  w.clean = window.clean();
  return w;
}

//! Only these can be explained; anything else (DDL, VACUUM, SET…) is not worth a detection.
bool analysable_text(const std::string& query)
{
  std::size_t i = 0;
  for (;;) {
    while (i < query.size() && std::isspace(static_cast<unsigned char>(query[i])))
      ++i;
    if (!parser::comment_at(query, i))
      break;
    i = parser::skip_comment(query, i);
  }
  std::string word;
  while (i < query.size() && std::isalpha(static_cast<unsigned char>(query[i])))
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(query[i++])));
  return word == "SELECT" || word == "WITH" || word == "INSERT" || word == "UPDATE" || word == "DELETE" ||
         word == "MERGE" || word == "VALUES" || word == "TABLE";
}

heuristics::detection::WindowPoint to_point(const connectors::store::WindowRecord& w)
{
  return {w.end_at, w.end_at - w.start_at, w.calls, w.total_ms, w.clean};
}

}  // namespace

CycleSettings cycle_settings(const config::Config& config)
{
  CycleSettings s;
  auto& d = s.detection;
  d.top_n = static_cast<std::size_t>(config.integer("analysis.top"));
  d.mean_threshold_ms = static_cast<double>(config.duration("analysis.mean_threshold").count());
  d.min_calls = static_cast<double>(config.integer("analysis.min_calls"));
  d.regression_ratio = config.number("analysis.regression_ratio");
  d.trend_windows = static_cast<std::size_t>(config.integer("analysis.trend_windows"));
  d.trend_horizon_seconds = static_cast<double>(config.duration("analysis.trend_horizon").count()) / 1000.0;
  d.max_analyses = static_cast<std::size_t>(config.integer("analysis.max_analyses"));
  s.analysis.explain_analyze = config.boolean("analysis.explain_analyze");
  s.analysis.session.statement_timeout_ms = static_cast<int>(config.duration("analysis.statement_timeout").count());
  s.analysis.session.lock_timeout_ms = static_cast<int>(config.duration("analysis.lock_timeout").count());
  s.raw_retention_s = static_cast<double>(config.duration("daemon.raw_retention").count()) / 1000.0;
  s.retry_initial = config.duration("daemon.retry_initial");
  s.retry_max = config.duration("daemon.retry_max");
  s.auto_apply = auto_apply_settings(config);
  s.verification = verification_options(config);
  return s;
}

TargetWorker::TargetWorker(config::Target target, std::size_t max_tracked)
    : m_target(std::move(target)),
      m_sampler(connectors::pg::SamplerOptions{true, true, max_tracked, 16384}),
      m_tracker(heuristics::detection::DeltaOptions{max_tracked}),
      m_backoff(std::chrono::seconds(5), std::chrono::minutes(5)),
      m_max_tracked(max_tracked)
{
}

void TargetWorker::set_target(const config::Target& target)
{
  if (target.conninfo != m_target.conninfo)
    m_session.reset();
  m_target = target;
}

void TargetWorker::set_max_tracked(std::size_t max_tracked)
{
  m_tracker.set_capacity(max_tracked);
  m_max_tracked = max_tracked;
}

CycleOutcome TargetWorker::run(connectors::store::HistoryStore& store, const CycleSettings& settings, Log& log,
                               const std::function<bool()>& keep_going, double now, WebhookOutbox* outbox)
{
  m_backoff.set_limits(settings.retry_initial, settings.retry_max);
  if (!m_up && m_ever_tried && now < m_next_attempt)
    return {};
  m_ever_tried = true;
  try {
    return cycle(store, settings, log, keep_going, now, outbox);
  } catch (const std::exception& e) {
    // libpqxx throws on a connection lost mid-statement; the session is useless now.
    m_session.reset();
    went_down(connectors::pg::scrub_secrets(e.what(), connectors::pg::conninfo_secrets(m_target.conninfo)),
              settings, log, now);
    CycleOutcome outcome;
    outcome.attempted = true;
    return outcome;
  }
}

bool TargetWorker::connect(const CycleSettings& settings, Log& log, double now)
{
  auto session = connectors::pg::Session::connect(m_target.conninfo, settings.analysis.session);
  if (!session) {
    went_down(session.error().message, settings, log, now);
    return false;
  }
  m_session = std::move(*session);
  return true;
}

void TargetWorker::went_down(const std::string& why, const CycleSettings& settings, Log& log, double now)
{
  const auto delay = m_backoff.next();
  m_next_attempt = now + static_cast<double>(delay.count()) / 1000.0;
  // Once per state change (or a different reason), not once per retry.
  if (m_up || why != m_last_error)
    log.warning(m_target.name, "target is down (" + why + "); retrying with backoff, next in " + seconds_text(delay));
  else
    log.debug(m_target.name, "still down; next attempt in " + seconds_text(delay));
  m_up = false;
  m_last_error = why;
}

CycleOutcome TargetWorker::cycle(connectors::store::HistoryStore& store, const CycleSettings& settings, Log& log,
                                 const std::function<bool()>& keep_going, double now, WebhookOutbox* outbox)
{
  CycleOutcome outcome;
  outcome.attempted = true;
  if (!m_session && !connect(settings, log, now))
    return outcome;
  auto sample = m_sampler.sample(*m_session);
  if (!sample) {
    if (sample.error().kind == model::ErrorKind::unreachable)
      m_session.reset();
    went_down(sample.error().message + (sample.error().hint.empty() ? "" : "; " + sample.error().hint), settings,
              log, now);
    return outcome;
  }
  if (!m_up)
    log.info(m_target.name, m_last_error.empty() ? "connected, sampling" : "target is up again, sampling");
  m_up = true;
  m_last_error.clear();
  m_backoff.reset();
  outcome.sampled = true;

  const auto window = m_tracker.update(*sample);
  for (const auto mark : window.marks)
    if (mark != heuristics::detection::WindowMark::first_sample)
      log.info(m_target.name, std::string("window marked ") + heuristics::detection::to_string(mark) +
                                  ": counters start a new baseline");
  const auto merged = heuristics::detection::merge_by_queryid(window.statements);
  if (m_not_analysable.size() > m_max_tracked)
    m_not_analysable.clear();
  // A statement run inside another one (toplevel = false) shares the queryid of the same
  // statement run on its own but carries the outer text: "EXPLAIN SELECT …" for the SELECT the
  // application runs. Such a text must neither hide the statement nor replace its text.
  std::vector<const model::StatementText*> texts;
  for (const auto& text : sample->new_texts) {
    const auto queryid = std::to_string(text.key.queryid);
    if (analysable_text(text.query)) {
      m_not_analysable.erase(queryid);
      texts.push_back(&text);
    } else if (text.key.toplevel) {
      m_not_analysable.insert(queryid);
      texts.push_back(&text);
    }
  }

  FilingContext context;
  context.outbox = outbox;
  TableChanges tables;
  if (m_last_sample)
    tables = table_changes(*m_last_sample, *sample);
  context.analysed_tables = tables.analysed;
  // Table figures for the hypotheses (growth, write rate), one snapshot an hour is plenty.
  const bool snapshot_tables = now - m_last_table_snapshot >= 3600;

  std::vector<connectors::store::WindowRecord> records;
  if (window.seconds() > 0)
    for (const auto& delta : merged)
      if (delta.calls > 0)
        records.push_back(to_record(m_target.name, delta, window));
  if (auto error = store.transaction([&]() -> std::optional<model::Error> {
        for (const auto* text : texts)
          if (auto e = store.put_statement(m_target.name, std::to_string(text->key.queryid), text->query, now))
            return e;
        if (snapshot_tables)
          if (auto e = connectors::store::record_table_snapshots(store.database(), m_target.name, now, sample->tables))
            return e;
        return store.add_windows(records);
      })) {
    log.error(m_target.name, "cannot store the window (" + error->message + "); it is lost, the next one is not");
    m_last_sample = std::move(*sample);
    return outcome;
  }
  outcome.windows = static_cast<int>(records.size());
  if (snapshot_tables)
    m_last_table_snapshot = now;
  m_last_sample = std::move(*sample);
  if (records.empty()) {
    outcome = file_cycle(store, *m_session, m_target, {}, {}, settings, context, log, now, outcome);
    apply_and_verify(store, settings, log, keep_going, now, outbox, outcome);
    return outcome;
  }

  // Detection over each active fingerprint's stored history.
  const int history = static_cast<int>(std::max<std::size_t>(settings.detection.trend_windows,
                                                             settings.detection.baseline_max_windows + 1));
  std::vector<heuristics::detection::FingerprintHistory> histories;
  for (const auto& record : records) {
    if (m_not_analysable.count(record.fingerprint))
      continue;
    auto stored = store.windows(m_target.name, record.fingerprint, history);
    if (!stored)
      continue;
    heuristics::detection::FingerprintHistory h;
    h.fingerprint = record.fingerprint;
    for (const auto& w : *stored)
      h.windows.push_back(to_point(w));
    histories.push_back(std::move(h));
  }
  const auto detected = heuristics::detection::detect(histories, settings.detection);
  outcome.detections = static_cast<int>(detected.detections.size());
  if (detected.deferred > 0)
    log.info(m_target.name, std::to_string(detected.deferred) + " detected statements deferred: analysis budget spent");

  std::map<std::string, const connectors::store::WindowRecord*> by_fingerprint;
  for (const auto& record : records)
    by_fingerprint[record.fingerprint] = &record;
  std::vector<AnalysedStatement> analysed;
  for (const auto& fingerprint : detected.selected) {
    if (!keep_going()) {
      log.info(m_target.name, "shutting down: analysis of the cycle abandoned");
      break;
    }
    auto text = store.statement(m_target.name, fingerprint);
    if (!text || !text->has_value()) {
      log.debug(m_target.name, "queryid " + fingerprint + ": no text yet, analysed next cycle");
      continue;
    }
    auto report = analyse_statement(m_target.conninfo, **text, settings.analysis);
    if (!report) {
      if (report.error().kind == model::ErrorKind::refused || report.error().kind == model::ErrorKind::invalid_input)
        m_not_analysable.insert(fingerprint);
      log.warning(m_target.name, "queryid " + fingerprint + " not analysed: " + report.error().message);
      continue;
    }
    AnalysedStatement statement;
    statement.fingerprint = fingerprint;
    statement.window = *by_fingerprint[fingerprint];
    if (auto day = store.windows_between(m_target.name, fingerprint, statement.window.end_at - 86400,
                                         statement.window.end_at);
        day && !day->empty()) {
      for (const auto& w : *day)
        statement.recent_total_ms += w.total_ms;
      statement.recent_seconds = statement.window.end_at - day->front().start_at;
    }
    statement.report = std::move(*report);
    analysed.push_back(std::move(statement));
  }
  if (keep_going())
    advise_cycle_indexes(m_target, analysed, settings.analysis, log);
  assess_risks(analysed, tables.writes_per_second, settings.auto_apply.limits);
  attach_hypotheses(store, detected.detections, analysed, log, now);
  outcome.analysed = static_cast<int>(analysed.size());
  outcome = file_cycle(store, *m_session, m_target, detected.detections, analysed, settings, context, log, now, outcome);
  if (keep_going())
    apply_and_verify(store, settings, log, keep_going, now, outbox, outcome);
  return outcome;
}

void TargetWorker::attach_hypotheses(connectors::store::HistoryStore& store,
                                     const std::vector<heuristics::detection::Detection>& detections,
                                     std::vector<AnalysedStatement>& analysed, Log& log, double now)
{
  for (auto& statement : analysed) {
    // The most urgent detection of the statement names it ("regressed" before "top_total_time").
    std::string detection;
    int best = 99;
    for (const auto& d : detections)
      if (d.fingerprint == statement.fingerprint && heuristics::detection::urgency(d.kind) < best) {
        best = heuristics::detection::urgency(d.kind);
        detection = heuristics::detection::to_string(d.kind);
      }
    if (detection.empty())
      continue;
    const auto evidence = gather_evidence(store, m_target.name, statement.fingerprint, detection, &statement.report, now);
    const auto hypotheses = heuristics::hypotheses::hypothesize(evidence);
    if (hypotheses.empty())
      continue;
    statement.hypotheses = hypotheses_to_json(hypotheses);
    statement.headline = heuristics::hypotheses::headline(evidence, hypotheses);
    log.info(m_target.name, "queryid " + statement.fingerprint + " (" + detection + "): " + statement.headline);
  }
}

void TargetWorker::apply_and_verify(connectors::store::HistoryStore& store, const CycleSettings& settings, Log& log,
                                    const std::function<bool()>& keep_going, double now, WebhookOutbox* outbox,
                                    CycleOutcome& outcome)
{
  if (settings.auto_apply.policy.enabled && m_session) {
    auto open = connectors::store::list_recommendations(store.database(), "open", m_target.name);
    if (!open) {
      log.warning(m_target.name, "auto-apply skipped: cannot read the store (" + open.error().message + ")");
    } else {
      // CREATE INDEX CONCURRENTLY can take minutes: it runs on its own thread (with its own use
      // of the session; this thread does not touch it meanwhile) while this one keeps the
      // watchdog fed and the signals drained. On SIGTERM the build is still awaited, up to the
      // shutdown deadline; a build cut short leaves an INVALID index the next apply drops.
      auto build = std::async(std::launch::async, [&] {
        return m_applier.run(*m_session, m_target.name, *open, settings.auto_apply, log, now);
      });
      bool told = false;
      while (build.wait_for(std::chrono::milliseconds(500)) != std::future_status::ready)
        if (!keep_going() && !told) {
          told = true;
          log.info(m_target.name, "stopping: waiting for the running auto-apply to finish");
        }
      const auto pass = build.get();
      outcome.auto_applied += record_apply_pass(store, outbox, m_target.name, pass, log, now);
    }
  }
  outcome.verified += verify_and_record(store, outbox, m_target.name, settings.verification, log, now);
}

void TargetWorker::save_baseline(connectors::store::HistoryStore& store, Log& log, double now)
{
  if (!m_last_sample)
    return;
  if (auto error = store.save_baseline(m_target.name, now, baseline_to_text(*m_last_sample)))
    log.warning(m_target.name, "cannot save the baseline (" + error->message + "); the next run starts a new one");
}

void TargetWorker::load_baseline(connectors::store::HistoryStore& store, Log& log)
{
  if (m_baseline_loaded)
    return;
  m_baseline_loaded = true;
  auto text = store.baseline(m_target.name);
  if (!text || !text->has_value())
    return;
  if (auto sample = baseline_from_text(**text)) {
    m_tracker.update(*sample);
    // Also the "previous sample" of the first cycle: table writes and ANALYZEs since then.
    m_last_sample = *sample;
    log.debug(m_target.name, "baseline of " + std::to_string(sample->statements.size()) + " statements loaded");
  }
}

}  // namespace advisor::daemon
