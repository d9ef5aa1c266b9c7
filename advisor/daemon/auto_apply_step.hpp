#pragma once
// L1 in the daemon: the risk class of every recommendation the cycle files (triage), then, for
// the open ones of a target, the auto-apply decision and, when it says apply, the build
// (CREATE INDEX CONCURRENTLY through connectors::pg::apply_index) or the ANALYZE. Off unless
// [auto_apply] enabled = on and the kind is listed in [auto_apply] kinds.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "advisor/config/config.hpp"
#include "advisor/daemon/cycle_filing.hpp"
#include "advisor/daemon/log.hpp"
#include "connectors/postgres/index_applier.hpp"
#include "connectors/postgres/session.hpp"
#include "connectors/store/store_types.hpp"
#include "heuristics/triage/auto_apply.hpp"

namespace advisor::daemon {

struct AutoApplySettings {
  heuristics::triage::AutoApplyPolicy policy;
  heuristics::triage::RiskLimits limits;
  connectors::pg::ApplyOptions apply;
  int max_per_cycle = 1;  //!< builds are heavy: at most this many per target and cycle
  //! The wall clock in Unix seconds, read after a build to stamp applied_at (the cycle's `now`
  //! is taken before sampling, so the window sampled in the same cycle would straddle it).
  std::function<double()> clock;
};

//! From [auto_apply] and [analysis] lock_timeout. A value the config check let through but
//! that does not parse (cannot happen after load) leaves auto-apply disabled.
AutoApplySettings auto_apply_settings(const config::Config& config);

//! Table write rates, "schema.table" → inserts + updates + deletes per second, from two samples.
using WriteRates = std::map<std::string, double>;

//! Sets the risk class of every recommendation in `analysed` with triage's assessment (the
//! index's method and width from its DDL, the table's size from the analysis' catalog, its
//! write rate). Pure.
void assess_risks(std::vector<AnalysedStatement>& analysed, const WriteRates& rates,
                  const heuristics::triage::RiskLimits& limits);

//! What auto-apply did with one recommendation.
struct ApplyAttempt {
  connectors::store::StoredRecommendation recommendation;
  connectors::pg::ApplyOutcome outcome;
  double finished_at = 0;  //!< Unix seconds after the build: applied_at when it succeeded
};

//! A recommendation auto-apply did not apply, and why (logged and stored once per verdict).
struct ApplyRefusal {
  std::string id;
  std::string verdict;  //!< heuristics::triage::to_string(Verdict)
  std::string reason;
};

struct ApplyPass {
  std::vector<ApplyAttempt> attempts;
  std::vector<ApplyRefusal> refusals;  //!< only new verdicts: not repeated every cycle
};

//! Per target: remembers failed attempts so a build that cannot succeed (a lock that is never
//! free, a table that keeps failing) is retried with a growing pause, not every cycle.
class AutoApplier {
public:
  //! Decides for each open recommendation (best score first) and applies the allowed ones, at
  //! most settings.max_per_cycle. A refusal is logged and returned once per recommendation and
  //! verdict. Never throws (a lost connection ends the pass).
  ApplyPass run(connectors::pg::Session& session, const std::string& target,
                                const std::vector<connectors::store::StoredRecommendation>& open,
                                const AutoApplySettings& settings, Log& log, double now);

private:
  struct Failure {
    int attempts = 0;
    double retry_at = 0;
  };
  std::map<std::string, Failure> m_failures;
  std::map<std::string, std::string> m_logged;  //!< id → last verdict logged
};

}  // namespace advisor::daemon
