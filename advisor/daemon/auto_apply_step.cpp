#include "advisor/daemon/auto_apply_step.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "advisor/statistics_advice.hpp"
#include "heuristics/number_format.hpp"

namespace advisor::daemon {

namespace triage = heuristics::triage;

namespace {

//! After a failed build: wait 1 h, 2 h, 4 h… (capped at a day) before the next attempt.
constexpr double first_retry_s = 3600;
constexpr double max_retry_s = 86400;

triage::Risk parse_risk(const std::string& text)
{
  if (text == "low")
    return triage::Risk::low;
  if (text == "medium")
    return triage::Risk::medium;
  return triage::Risk::high;
}

std::int64_t index_bytes_of(const std::string& document)
{
  const auto json = nlohmann::ordered_json::parse(document, nullptr, false);
  if (json.is_discarded() || !json.contains("estimate") || !json["estimate"].is_object())
    return 0;
  const auto& bytes = json["estimate"]["index_bytes"];
  return bytes.is_number() ? bytes.get<std::int64_t>() : 0;
}

}  // namespace

AutoApplySettings auto_apply_settings(const config::Config& config)
{
  AutoApplySettings s;
  s.policy.enabled = config.boolean("auto_apply.enabled");
  s.policy.max_index_bytes = config.integer("auto_apply.max_index_bytes");
  s.limits.max_index_bytes = s.policy.max_index_bytes;
  auto kinds = triage::parse_kinds(config.text("auto_apply.kinds"));
  auto window = triage::parse_time_window(config.text("auto_apply.window"));
  if (!kinds || !window) {
    s.policy.enabled = false;
    return s;
  }
  s.policy.kinds = *kinds;
  s.policy.window = *window;
  s.apply.lock_timeout_ms = static_cast<int>(config.duration("auto_apply.lock_timeout").count());
  s.clock = [] {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  };
  return s;
}

void assess_risks(std::vector<AnalysedStatement>& analysed, const WriteRates& rates, const triage::RiskLimits& limits)
{
  for (auto& statement : analysed) {
    for (auto& recommendation : statement.report.recommendations) {
      triage::RiskInputs inputs;
      inputs.kind = recommendation.kind;
      if (recommendation.kind == model::RecommendationKind::create_index) {
        auto index = connectors::pg::read_index_statement(recommendation.statement);
        if (!index) {
          // No name or no CONCURRENTLY: L1 could not build it safely anyway.
          inputs.concurrently = false;
        } else {
          inputs.index_method = index->method;
          inputs.key_columns = index->columns;
          inputs.index_bytes = recommendation.estimate.index_bytes.value_or(0);
          if (const auto* table = model::find_table_in(statement.report.tables, index->schema, index->table)) {
            inputs.table_bytes = table->size_bytes;
            const auto rate = rates.find(table->schema + "." + table->name);
            if (rate != rates.end())
              inputs.table_writes_per_second = rate->second;
          }
        }
      } else if (recommendation.kind == model::RecommendationKind::analyze) {
        inputs.statistics_stale = std::any_of(recommendation.findings.begin(), recommendation.findings.end(),
                                              [](const auto& f) { return f.rule_id == "stale_statistics"; });
      }
      recommendation.risk = triage::to_string(triage::assess_risk(inputs, limits).risk);
    }
  }
}

ApplyPass AutoApplier::run(connectors::pg::Session& session, const std::string& target,
                                           const std::vector<connectors::store::StoredRecommendation>& open,
                                           const AutoApplySettings& settings, Log& log, double now)
{
  ApplyPass pass;
  auto& attempts = pass.attempts;
  if (!settings.policy.enabled)
    return pass;
  const int minute = triage::local_minute_of_day(static_cast<std::time_t>(now));
  for (const auto& recommendation : open) {
    if (static_cast<int>(attempts.size()) >= settings.max_per_cycle)
      break;
    auto kinds = triage::parse_kinds(recommendation.kind);
    if (!kinds || kinds->size() != 1)
      continue;  // not a kind L1 can apply at all
    const auto document = nlohmann::ordered_json::parse(recommendation.document, nullptr, false);
    triage::ApplyCandidate candidate;
    candidate.kind = kinds->front();
    candidate.risk = parse_risk(document.is_discarded() ? "" : document.value("risk", std::string()));
    candidate.index_bytes = index_bytes_of(recommendation.document);
    const auto decision = triage::decide(candidate, settings.policy, minute);
    if (!decision.apply()) {
      const std::string verdict = triage::to_string(decision.verdict);
      if (m_logged[recommendation.id] != verdict) {
        m_logged[recommendation.id] = verdict;
        log.info(target, "not auto-applied: " + recommendation.id + " (" + decision.reason + ")");
        pass.refusals.push_back({recommendation.id, verdict, decision.reason});
      }
      continue;
    }
    const auto failure = m_failures.find(recommendation.id);
    if (failure != m_failures.end() && now < failure->second.retry_at)
      continue;

    log.info(target, "auto-applying " + recommendation.id + ": " + recommendation.statement + " (" + decision.reason + ")");
    model::Result<connectors::pg::ApplyOutcome> outcome = model::make_error(model::ErrorKind::invalid_input, "");
    if (candidate.kind == model::RecommendationKind::create_index) {
      outcome = connectors::pg::apply_index(session, recommendation.statement, settings.apply);
    } else {
      const auto table = analyzed_table(recommendation.statement);
      if (!table) {
        log.warning(target, recommendation.id + ": not an ANALYZE of one table: " + recommendation.statement);
        continue;
      }
      outcome = connectors::pg::apply_analyze(session, table->first, table->second, settings.apply);
    }
    if (!outcome) {
      // A bad statement or a lost connection: nothing was built; count it as a failure.
      connectors::pg::ApplyOutcome failed;
      failed.status = connectors::pg::ApplyStatus::failed;
      failed.error = outcome.error().message;
      failed.events.push_back({"apply.failed", recommendation.statement + ": " + outcome.error().message});
      outcome = std::move(failed);
    }
    const auto status = outcome->status;
    if (status == connectors::pg::ApplyStatus::failed || status == connectors::pg::ApplyStatus::failed_dirty) {
      auto& f = m_failures[recommendation.id];
      ++f.attempts;
      f.retry_at = now + std::min(max_retry_s, first_retry_s * std::pow(2.0, f.attempts - 1));
      log.warning(target, "auto-apply of " + recommendation.id + " failed (" + outcome->error + "); next try in " +
                              heuristics::format_number((f.retry_at - now) / 3600) + " h");
    } else {
      m_failures.erase(recommendation.id);
      log.info(target, recommendation.id + ": " + connectors::pg::to_string(status) + " (" +
                           heuristics::format_number(outcome->build_ms) + " ms)");
    }
    attempts.push_back({recommendation, std::move(*outcome), settings.clock ? settings.clock() : now});
  }
  return pass;
}

}  // namespace advisor::daemon
