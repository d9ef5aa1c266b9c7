#pragma once
// After filing, what happened to a target's recommendations goes into the store: an auto-apply
// pass (its steps as events, applied with its time, the webhook event) and the verification of
// applied ones (verified / no_effect / regressed with the numbers). One store transaction per
// recommendation, so a failure to record one keeps the others.

#include <string>

#include "advisor/daemon/auto_apply_step.hpp"
#include "advisor/daemon/log.hpp"
#include "connectors/store/history_store.hpp"
#include "heuristics/verification.hpp"

namespace advisor::daemon {

class WebhookOutbox;

//! Records `pass` for `target`: refusals as apply.refused events; every attempt's steps as
//! events; an index built (or found already there) as applied at the attempt's end, announced
//! as recommendation.applied with the steps; a failure announced as recommendation.updated;
//! a build left to another daemon (busy) only as its events. Returns how many were applied.
int record_apply_pass(connectors::store::HistoryStore& store, WebhookOutbox* outbox, const std::string& target,
                      const ApplyPass& pass, Log& log, double now);

//! Verifies the applied recommendations of `target` (verify_applied) and records each decided
//! outcome with its event. Returns how many were decided and recorded.
int verify_and_record(connectors::store::HistoryStore& store, WebhookOutbox* outbox, const std::string& target,
                      const heuristics::verification::VerificationOptions& options, Log& log, double now);

}  // namespace advisor::daemon
