#include "heuristics/detection/deltas.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace heuristics::detection {

namespace {

template <typename T>
bool went_backwards(T now, T before)
{
  return now < before;
}

//! True when any monotonic counter of the entry is lower than before: the entry was reset or
//! evicted and re-created since, so the previous values are not its baseline any more.
bool counters_went_backwards(const model::StatementCounters& now, const model::StatementCounters& before)
{
  if (now.stats_since && before.stats_since && *now.stats_since != *before.stats_since)
    return true;
  return went_backwards(now.calls, before.calls) || went_backwards(now.total_exec_ms, before.total_exec_ms) ||
         went_backwards(now.total_plan_ms, before.total_plan_ms) || went_backwards(now.rows, before.rows) ||
         went_backwards(now.shared_blks_hit, before.shared_blks_hit) ||
         went_backwards(now.shared_blks_read, before.shared_blks_read) ||
         went_backwards(now.shared_blks_dirtied, before.shared_blks_dirtied) ||
         went_backwards(now.shared_blks_written, before.shared_blks_written) ||
         went_backwards(now.temp_blks_read, before.temp_blks_read) ||
         went_backwards(now.temp_blks_written, before.temp_blks_written) ||
         went_backwards(now.blk_read_ms, before.blk_read_ms) || went_backwards(now.blk_write_ms, before.blk_write_ms) ||
         went_backwards(now.wal_bytes, before.wal_bytes);
}

double diff(double now, double before)
{
  return std::max(0.0, now - before);
}

StatementDelta make_delta(const model::StatementCounters& now, const model::StatementCounters& before)
{
  StatementDelta d;
  d.key = now.key;
  d.calls = diff(static_cast<double>(now.calls), static_cast<double>(before.calls));
  d.total_exec_ms = diff(now.total_exec_ms, before.total_exec_ms);
  d.total_plan_ms = diff(now.total_plan_ms, before.total_plan_ms);
  // Σx² is rebuilt from rounded mean and stddev, so it can wobble down a little: clamp.
  d.sum_sq_exec_ms = diff(now.sum_sq_exec_ms, before.sum_sq_exec_ms);
  d.rows = diff(static_cast<double>(now.rows), static_cast<double>(before.rows));
  d.shared_blks_hit = diff(static_cast<double>(now.shared_blks_hit), static_cast<double>(before.shared_blks_hit));
  d.shared_blks_read = diff(static_cast<double>(now.shared_blks_read), static_cast<double>(before.shared_blks_read));
  d.shared_blks_dirtied =
      diff(static_cast<double>(now.shared_blks_dirtied), static_cast<double>(before.shared_blks_dirtied));
  d.shared_blks_written =
      diff(static_cast<double>(now.shared_blks_written), static_cast<double>(before.shared_blks_written));
  d.temp_blks_read = diff(static_cast<double>(now.temp_blks_read), static_cast<double>(before.temp_blks_read));
  d.temp_blks_written =
      diff(static_cast<double>(now.temp_blks_written), static_cast<double>(before.temp_blks_written));
  d.blk_read_ms = diff(now.blk_read_ms, before.blk_read_ms);
  d.blk_write_ms = diff(now.blk_write_ms, before.blk_write_ms);
  d.wal_bytes = diff(now.wal_bytes, before.wal_bytes);
  return d;
}

void add_into(StatementDelta& sum, const StatementDelta& d)
{
  sum.calls += d.calls;
  sum.total_exec_ms += d.total_exec_ms;
  sum.total_plan_ms += d.total_plan_ms;
  sum.sum_sq_exec_ms += d.sum_sq_exec_ms;
  sum.rows += d.rows;
  sum.shared_blks_hit += d.shared_blks_hit;
  sum.shared_blks_read += d.shared_blks_read;
  sum.shared_blks_dirtied += d.shared_blks_dirtied;
  sum.shared_blks_written += d.shared_blks_written;
  sum.temp_blks_read += d.temp_blks_read;
  sum.temp_blks_written += d.temp_blks_written;
  sum.blk_read_ms += d.blk_read_ms;
  sum.blk_write_ms += d.blk_write_ms;
  sum.wal_bytes += d.wal_bytes;
}

}  // namespace

double StatementDelta::stddev_ms() const
{
  if (calls <= 0 || sum_sq_exec_ms <= 0)
    return 0;
  const double mean = mean_ms();
  const double variance = sum_sq_exec_ms / calls - mean * mean;
  return variance > 0 ? std::sqrt(variance) : 0;
}

const char* to_string(WindowMark mark)
{
  switch (mark) {
  case WindowMark::first_sample: return "first_sample";
  case WindowMark::stats_reset: return "stats_reset";
  case WindowMark::server_restart: return "server_restart";
  case WindowMark::evictions: return "evictions";
  case WindowMark::counters_reset: return "counters_reset";
  case WindowMark::clock_backwards: return "clock_backwards";
  }
  return "unknown";
}

bool DeltaWindow::marked(WindowMark mark) const
{
  return std::find(marks.begin(), marks.end(), mark) != marks.end();
}

bool DeltaWindow::clean() const
{
  for (const auto mark : marks)
    if (mark != WindowMark::evictions && mark != WindowMark::counters_reset)
      return false;
  return true;
}

DeltaTracker::DeltaTracker(DeltaOptions options) : m_options(options)
{
  m_index.reserve(std::min<std::size_t>(m_options.max_keys, 1 << 16));
}

void DeltaTracker::set_capacity(std::size_t max_keys)
{
  m_options.max_keys = max_keys;
  trim();
}

void DeltaTracker::trim()
{
  while (m_index.size() > m_options.max_keys && !m_lru.empty()) {
    m_index.erase(m_lru.back().key);
    m_lru.pop_back();
    ++m_dropped_total;
  }
}

DeltaWindow DeltaTracker::update(const model::Sample& sample)
{
  DeltaWindow window;
  window.end = sample.taken_at;
  // A window with a full reset or a restart has no usable baseline for any key: counters that
  // happen to be higher than before still include work from before the reset.
  bool all_new_baselines = false;
  if (!m_has_previous) {
    window.marks.push_back(WindowMark::first_sample);
    all_new_baselines = true;
  } else {
    window.start = m_previous_taken_at;
    if (sample.taken_at <= m_previous_taken_at) {
      window.marks.push_back(WindowMark::clock_backwards);
      window.start = 0;
      all_new_baselines = true;
    }
    if (sample.postmaster_start != 0 && m_previous_postmaster_start != 0 &&
        sample.postmaster_start != m_previous_postmaster_start) {
      window.marks.push_back(WindowMark::server_restart);
      all_new_baselines = true;
    }
    if (sample.info && m_previous_has_info) {
      const bool reset = sample.info->stats_reset != m_previous_info.stats_reset;
      if (reset) {
        window.marks.push_back(WindowMark::stats_reset);
        all_new_baselines = true;
      }
      // dealloc restarts from 0 at a full reset: what it shows then all happened in the window.
      const auto evicted = reset || sample.info->dealloc < m_previous_info.dealloc
                               ? sample.info->dealloc
                               : sample.info->dealloc - m_previous_info.dealloc;
      window.evicted = std::max<std::int64_t>(0, evicted);
      if (window.evicted > 0)
        window.marks.push_back(WindowMark::evictions);
    }
  }

  window.statements.reserve(std::min(sample.statements.size(), m_options.max_keys));
  bool some_backwards = false;
  for (const auto& now : sample.statements) {
    const auto found = m_index.find(now.key);
    if (found == m_index.end()) {
      ++window.first_sightings;
      m_lru.push_front(now);
      m_index.emplace(now.key, m_lru.begin());
      continue;
    }
    auto& before = *found->second;
    if (all_new_baselines) {
      ++window.new_baselines;
    } else if (counters_went_backwards(now, before)) {
      ++window.new_baselines;
      some_backwards = true;
    } else if (now.calls > before.calls) {
      window.statements.push_back(make_delta(now, before));
    }
    before = now;
    m_lru.splice(m_lru.begin(), m_lru, found->second);
  }
  if (some_backwards)
    window.marks.push_back(WindowMark::counters_reset);
  trim();

  m_has_previous = true;
  m_previous_taken_at = sample.taken_at;
  m_previous_postmaster_start = sample.postmaster_start;
  m_previous_has_info = sample.info.has_value();
  if (sample.info)
    m_previous_info = *sample.info;
  return window;
}

model::StatementStats to_statement_stats(const StatementDelta& delta, double window_seconds)
{
  model::StatementStats stats;
  stats.queryid = std::to_string(delta.key.queryid);
  stats.calls = delta.calls;
  stats.total_ms = delta.total_exec_ms;
  stats.mean_ms = delta.mean_ms();
  stats.stddev_ms = delta.stddev_ms();
  stats.rows = delta.rows;
  stats.shared_blks_hit = static_cast<std::int64_t>(delta.shared_blks_hit);
  stats.shared_blks_read = static_cast<std::int64_t>(delta.shared_blks_read);
  stats.temp_blks_written = static_cast<std::int64_t>(delta.temp_blks_written);
  stats.window_seconds = window_seconds;
  return stats;
}

std::vector<StatementDelta> merge_by_queryid(const std::vector<StatementDelta>& deltas)
{
  std::map<std::int64_t, StatementDelta> merged;
  for (const auto& d : deltas) {
    auto [it, inserted] = merged.try_emplace(d.key.queryid);
    if (inserted) {
      it->second.key = model::StatementKey{0, d.key.dbid, d.key.queryid, true};
    } else if (it->second.key.dbid != d.key.dbid) {
      it->second.key.dbid = 0;  // several databases: no single one
    }
    add_into(it->second, d);
  }
  std::vector<StatementDelta> out;
  out.reserve(merged.size());
  for (auto& [queryid, d] : merged)
    out.push_back(std::move(d));
  return out;
}

}  // namespace heuristics::detection
