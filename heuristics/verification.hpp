#pragma once
// Did an applied change help? Compares a fingerprint's work before and after the change (made
// by pgadvisor or by a person) over at least N calls each: mean and total time, rows and
// buffers per call, and the write statements on the same table (a new index slows every
// write). Pure: the daemon sums its stored windows into the two spans.

#include <string>
#include <vector>

#include "heuristics/hypotheses/evidence.hpp"

namespace heuristics::verification {

using hypotheses::WorkFigures;

//! A write statement (INSERT/UPDATE/DELETE) on the changed table, before and after.
struct WriteStatement {
  std::string fingerprint;
  WorkFigures before;
  WorkFigures after;
};

struct VerificationInput {
  std::string fingerprint;  //!< the query the change was for
  WorkFigures before;       //!< windows before the change
  WorkFigures after;        //!< windows after it
  std::vector<WriteStatement> writes;
};

struct VerificationOptions {
  double min_calls = 100;             //!< N: calls needed on each side (and for each write)
  double improvement_ratio = 1.5;     //!< verified: mean before ≥ ratio × mean after
  double regression_ratio = 1.2;      //!< regressed: mean after ≥ ratio × mean before
  double write_slowdown_ratio = 1.2;  //!< a write's mean after ≥ ratio × before is a slowdown
};

enum class Outcome {
  pending,    //!< fewer than min_calls on one side: not decided yet
  verified,   //!< improved by at least improvement_ratio, and the writes did not eat the gain
  no_effect,  //!< neither improved enough nor regressed
  regressed,  //!< slower after, or the writes lost more time than the query gained
};

const char* to_string(Outcome outcome);

struct WriteSlowdown {
  std::string fingerprint;
  double mean_before_ms = 0;
  double mean_after_ms = 0;
  double ratio = 0;
  double extra_ms_per_hour = 0;  //!< (after − before mean) × calls per hour after
};

struct Verification {
  Outcome outcome = Outcome::pending;
  std::string reason;  //!< one line with the numbers
  double calls_before = 0;
  double calls_after = 0;
  double mean_before_ms = 0;
  double mean_after_ms = 0;
  double speedup = 0;  //!< mean before / mean after (0 when undefined)
  double total_ms_per_hour_before = 0;
  double total_ms_per_hour_after = 0;
  double rows_per_call_before = 0;
  double rows_per_call_after = 0;
  double buffers_per_call_before = 0;  //!< shared hit + read
  double buffers_per_call_after = 0;
  double saved_ms_per_hour = 0;  //!< (mean before − after) × calls per hour after
  std::vector<WriteSlowdown> write_slowdowns;
};

//! Whether `before` and `after` hold enough work to judge a change: min_calls and some
//! duration on each side. verify() is `pending` otherwise, whatever the writes say.
bool decidable(const WorkFigures& before, const WorkFigures& after, const VerificationOptions& options);

//! Never throws; a side with no calls or no duration is `pending`.
Verification verify(const VerificationInput& input, const VerificationOptions& options = {});

}  // namespace heuristics::verification
