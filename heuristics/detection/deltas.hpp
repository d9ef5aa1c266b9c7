#pragma once
// Turns consecutive cumulative samples into windows of work done in between. Pure logic, no
// I/O. Never produces a negative number: a counter that went backwards (pg_stat_statements_reset,
// a server restart, an entry evicted and re-created) starts a new baseline for that key and
// marks the window instead.

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/sample.hpp"
#include "model/statement_stats.hpp"

namespace heuristics::detection {

struct DeltaOptions {
  //! Most keys kept in memory (LRU: the least recently seen is dropped first). Memory is about
  //! 200 bytes a key; a dropped key seen again is a first sighting again (no delta that time).
  std::size_t max_keys = 50000;
};

//! Work one key did in a window. All figures ≥ 0.
struct StatementDelta {
  model::StatementKey key;
  double calls = 0;
  double total_exec_ms = 0;
  double total_plan_ms = 0;
  double sum_sq_exec_ms = 0;
  double rows = 0;
  double shared_blks_hit = 0;
  double shared_blks_read = 0;
  double shared_blks_dirtied = 0;
  double shared_blks_written = 0;
  double temp_blks_read = 0;
  double temp_blks_written = 0;
  double blk_read_ms = 0;
  double blk_write_ms = 0;
  double wal_bytes = 0;

  double mean_ms() const { return calls > 0 ? total_exec_ms / calls : 0; }
  //! Population stddev of execution time within the window, from Σx and Σx² (0 when unknown).
  double stddev_ms() const;
};

//! Why a window is not a clean "same baseline" window.
enum class WindowMark {
  first_sample,     //!< no previous sample: nothing to compare
  stats_reset,      //!< pg_stat_statements_info.stats_reset moved (a full reset)
  server_restart,   //!< pg_postmaster_start_time() moved
  evictions,        //!< pg_stat_statements_info.dealloc grew: entries were evicted in between
  counters_reset,   //!< some key's counters went backwards (partial reset or re-created entry)
  clock_backwards,  //!< the sample is not newer than the previous one: no window
};

const char* to_string(WindowMark mark);

struct DeltaWindow {
  double start = 0;  //!< previous sample's taken_at (Unix seconds); 0 on the first sample
  double end = 0;    //!< this sample's taken_at
  double seconds() const { return end > start && start > 0 ? end - start : 0; }
  //! Keys that did work in the window (calls > 0), in no particular order.
  std::vector<StatementDelta> statements;
  std::vector<WindowMark> marks;
  std::size_t first_sightings = 0;  //!< keys with no previous counters (no delta)
  std::size_t new_baselines = 0;    //!< keys whose counters went backwards (no delta)
  std::int64_t evicted = 0;         //!< dealloc growth in the window (entries the server dropped)

  bool marked(WindowMark mark) const;
  //! False when the window is not comparable with earlier ones for baselines (first sample,
  //! full reset, restart, clock going backwards). Evictions alone leave it clean.
  bool clean() const;
};

//! Keyed by (userid, dbid, queryid, toplevel); bounded by an LRU.
class DeltaTracker {
public:
  explicit DeltaTracker(DeltaOptions options = {});

  //! Folds one sample in and returns the window since the previous one. The first sample, and
  //! each key's first sighting, give no delta. A sample whose taken_at is not after the
  //! previous one gives an empty window marked clock_backwards and is still taken as the new
  //! baseline. Never throws.
  DeltaWindow update(const model::Sample& sample);

  std::size_t size() const { return m_index.size(); }
  std::size_t capacity() const { return m_options.max_keys; }
  //! Keys dropped by the LRU since construction.
  std::size_t dropped_total() const { return m_dropped_total; }
  //! Changes the bound at run time (config reload); shrinking drops the oldest keys now.
  void set_capacity(std::size_t max_keys);

private:
  void trim();

  DeltaOptions m_options;
  bool m_has_previous = false;
  double m_previous_taken_at = 0;
  double m_previous_postmaster_start = 0;
  bool m_previous_has_info = false;
  model::StatementsInfo m_previous_info;
  using Lru = std::list<model::StatementCounters>;
  Lru m_lru;  //!< previous counters per key, most recently seen first
  std::unordered_map<model::StatementKey, Lru::iterator, model::StatementKeyHash> m_index;
  std::size_t m_dropped_total = 0;
};

//! The delta as the rule context's StatementStats (queryid as decimal text).
model::StatementStats to_statement_stats(const StatementDelta& delta, double window_seconds);

//! Sums the deltas of keys that share a queryid (several roles, toplevel and nested) into one
//! per queryid: what "a fingerprint's window" means for detection. Sorted by queryid; the merged
//! key has userid 0, toplevel true, and dbid 0 when the queryid ran in several databases.
std::vector<StatementDelta> merge_by_queryid(const std::vector<StatementDelta>& deltas);

}  // namespace heuristics::detection
