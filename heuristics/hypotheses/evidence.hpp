#pragma once
// What the daemon knows about one detected fingerprint, as plain data it fills from its store
// (windows, plan sightings, table samples). No libpq, no SQLite: the hypotheses are pure.

#include <optional>
#include <string>
#include <vector>

namespace heuristics::hypotheses {

//! Work one fingerprint did over a span of windows (sums, not means). All figures ≥ 0.
struct WorkFigures {
  double seconds = 0;  //!< wall time the span covers (for calls per second)
  double calls = 0;
  double total_ms = 0;
  double rows = 0;
  double shared_blks_hit = 0;
  double shared_blks_read = 0;
  double temp_blks_read = 0;
  double temp_blks_written = 0;

  double mean_ms() const { return calls > 0 ? total_ms / calls : 0; }
  double per_call(double value) const { return calls > 0 ? value / calls : 0; }
  double calls_per_second() const { return seconds > 0 ? calls / seconds : 0; }
};

//! One node of a plan, reduced to what a DBA compares: "Index Scan using orders_pkey on
//! shop.orders". Costs and row counts are left out: they move every run.
struct PlanItem {
  std::string node_type;
  std::string relation;  //!< schema-qualified when the plan says so; empty for joins etc.
  std::string index;     //!< empty unless an index is used

  bool operator==(const PlanItem&) const = default;
  auto operator<=>(const PlanItem&) const = default;
};

//! One plan as the list of its nodes (depth-first order).
struct PlanOutline {
  std::string hash;  //!< the daemon's plan hash
  std::vector<PlanItem> items;
};

//! A plan change: the plan before (the most recent other hash) and the current one.
struct PlanChange {
  PlanOutline before;
  PlanOutline after;
  double changed_at = 0;  //!< Unix seconds the new hash was first seen; 0 when unknown
};

//! One table the statement reads, from pg_stat_user_tables at the baseline and now.
struct TableEvidence {
  std::string name;  //!< schema-qualified: "shop.orders"
  double live_rows_before = 0;  //!< n_live_tup at the baseline (0 when unknown)
  double live_rows_now = 0;
  double dead_rows_now = 0;
  double modified_since_analyze = 0;
  //! Seconds since the last ANALYZE or autoanalyze; empty: never analysed.
  std::optional<double> analyze_age_seconds;
  double writes_per_second = 0;  //!< inserts + updates + deletes per second lately
  double table_bytes = 0;        //!< pg_table_size, 0 when unknown
};

struct FingerprintEvidence {
  std::string fingerprint;
  std::string detection;  //!< "regressed", "slow_mean", "trend", "plan_changed", "top_total_time"
  //! The fingerprint's normal: clean windows before the detection. calls == 0: no baseline.
  WorkFigures baseline;
  //! The windows that fired (the current window, or the span since the change).
  WorkFigures current;
  std::optional<PlanChange> plan_change;  //!< present only when the plan hash changed
  std::vector<TableEvidence> tables;
};

}  // namespace heuristics::hypotheses
