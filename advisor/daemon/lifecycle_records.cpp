#include "advisor/daemon/lifecycle_records.hpp"

#include <nlohmann/json.hpp>

#include "advisor/daemon/announce.hpp"
#include "advisor/daemon/verification_step.hpp"
#include "connectors/clock.hpp"
#include "connectors/store/recommendation_store.hpp"

namespace advisor::daemon {

namespace {

//! The numbers of an attempt for the webhook's `details`: outcome, build time, every step.
nlohmann::ordered_json attempt_data(const connectors::pg::ApplyOutcome& outcome)
{
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const auto& step : outcome.events)
    steps.push_back({{"kind", step.kind}, {"message", step.message}});
  nlohmann::ordered_json data{
      {"status", connectors::pg::to_string(outcome.status)}, {"build_ms", outcome.build_ms}, {"steps", steps}};
  if (!outcome.error.empty())
    data["error"] = outcome.error;
  return data;
}

}  // namespace

int record_apply_pass(connectors::store::HistoryStore& store, WebhookOutbox* outbox, const std::string& target,
                      const ApplyPass& pass, Log& log, double now)
{
  if (!pass.refusals.empty())
    if (auto error = store.transaction([&]() -> std::optional<model::Error> {
          for (const auto& refusal : pass.refusals)
            if (auto e = store.add_event(
                    {now, target, "apply.refused", refusal.id + ": " + refusal.verdict + ": " + refusal.reason}))
              return e;
          return std::nullopt;
        }))
      log.warning(target, "cannot record auto-apply decisions (" + error->message + ")");

  const std::string now_iso = connectors::utc_now_iso8601();
  int applied_count = 0;
  for (const auto& attempt : pass.attempts) {
    const auto& id = attempt.recommendation.id;
    const auto status = attempt.outcome.status;
    const bool applied =
        status == connectors::pg::ApplyStatus::created || status == connectors::pg::ApplyStatus::already_exists;
    auto error = store.transaction([&]() -> std::optional<model::Error> {
      for (const auto& step : attempt.outcome.events)
        if (auto e = store.add_event({now, target, step.kind, id + ": " + step.message}))
          return e;
      if (status == connectors::pg::ApplyStatus::busy)
        return std::nullopt;  // the other daemon's build; the catalog check sees it later
      if (applied) {
        auto done = connectors::store::mark_applied(store.database(), id, attempt.finished_at, now_iso);
        if (!done)
          return done.error();
      }
      const std::string summary = applied ? std::string("applied by pgadvisor (auto-apply): ") +
                                                connectors::pg::to_string(status)
                                          : "auto-apply failed: " + attempt.outcome.error;
      return announce_stored(store, outbox, target, id, applied ? delivery::Event::applied : delivery::Event::updated,
                             summary, attempt_data(attempt.outcome), now);
    });
    if (error)
      log.error(target, "cannot record the auto-apply of " + id + " (" + error->message + ")");
    else if (applied)
      ++applied_count;
  }
  return applied_count;
}

int verify_and_record(connectors::store::HistoryStore& store, WebhookOutbox* outbox, const std::string& target,
                      const heuristics::verification::VerificationOptions& options, Log& log, double now)
{
  auto applied = connectors::store::list_recommendations(store.database(), "applied", target);
  if (!applied) {
    log.warning(target, "verification skipped: cannot read the store (" + applied.error().message + ")");
    return 0;
  }
  const std::string now_iso = connectors::utc_now_iso8601();
  int decided = 0;
  for (const auto& result : verify_applied(store, target, *applied, options)) {
    const auto& id = result.recommendation.id;
    const std::string status = verification_status(result.verification.outcome);
    const auto numbers = verification_to_json(result.verification);
    auto error = store.transaction([&]() -> std::optional<model::Error> {
      auto done = connectors::store::record_verification(store.database(), id, status, numbers.dump(), now_iso);
      if (!done)
        return done.error();
      // no_effect has no event of its own in the contract: it is an update of the ticket.
      const auto event = status == "verified"    ? delivery::Event::verified
                         : status == "regressed" ? delivery::Event::regressed
                                                 : delivery::Event::updated;
      return announce_stored(store, outbox, target, id, event, status + ": " + result.verification.reason, numbers,
                             now);
    });
    if (error) {
      log.error(target, "cannot record the verification of " + id + " (" + error->message + ")");
      continue;
    }
    ++decided;
    log.info(target, id + " " + status + ": " + result.verification.reason);
  }
  return decided;
}

}  // namespace advisor::daemon
