#pragma once
// The L1 decision: whether the daemon may apply a recommendation itself. Only when
// [auto_apply] enabled = true, the kind is in [auto_apply] kinds (default: none), now is
// inside [auto_apply] window, the index is under [auto_apply] max_index_bytes and the risk is
// low. Pure: the caller passes the local time of day. Returns the decision with its reason.

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "heuristics/triage/risk.hpp"
#include "model/result.hpp"

namespace heuristics::triage {

//! A local time-of-day range, minutes since midnight; `end` < `begin` wraps past midnight.
struct TimeWindow {
  int begin = 0;  //!< inclusive
  int end = 0;    //!< exclusive
  bool contains(int minute_of_day) const;
};

//! "02:00-05:00" (24-hour, end exclusive; "22:00-02:00" wraps). Empty or blank: no window (any
//! time). Errors (invalid_input) name the bad part; equal ends are rejected (empty window).
model::Result<std::optional<TimeWindow>> parse_time_window(const std::string& text);

//! Kinds L1 can apply: create_index and analyze.
bool auto_applicable(model::RecommendationKind kind);

//! "create_index, analyze" (comma and/or space separated; empty: none). A kind that is not a
//! recommendation kind, or one L1 cannot apply, is an invalid_input error naming it.
model::Result<std::vector<model::RecommendationKind>> parse_kinds(const std::string& text);

struct AutoApplyPolicy {
  bool enabled = false;                           //!< [auto_apply] enabled
  std::vector<model::RecommendationKind> kinds;   //!< [auto_apply] kinds (default none)
  std::optional<TimeWindow> window;               //!< [auto_apply] window; empty: any time
  std::int64_t max_index_bytes = 1LL << 30;       //!< [auto_apply] max_index_bytes
  Risk max_risk = Risk::low;                      //!< riskier recommendations are never L1
};

struct ApplyCandidate {
  model::RecommendationKind kind = model::RecommendationKind::create_index;
  Risk risk = Risk::high;
  std::int64_t index_bytes = 0;  //!< create_index: estimated size; 0 = unknown (refused)
};

enum class Verdict {
  apply,              //!< L1: apply it now
  disabled,           //!< auto_apply is off (the default)
  kind_not_allowed,   //!< the kind is not in the configured list
  outside_window,     //!< not now: try again inside the window
  over_size_cap,      //!< the index is larger than the cap, or its size is unknown
  too_risky,          //!< the risk class is above max_risk
};

const char* to_string(Verdict verdict);

struct ApplyDecision {
  Verdict verdict = Verdict::disabled;
  std::string reason;  //!< one line with the numbers
  bool apply() const { return verdict == Verdict::apply; }
};

//! Checks in this order: enabled, kind listed, risk, size cap, window.
ApplyDecision decide(const ApplyCandidate& candidate, const AutoApplyPolicy& policy, int minute_of_day);

//! Minutes since local midnight of `at` (localtime_r; the daemon's TZ).
int local_minute_of_day(std::time_t at);

}  // namespace heuristics::triage
