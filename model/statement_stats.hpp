#pragma once
// A statement's pg_stat_statements figures over a window (or since the stats reset).

#include <cstdint>
#include <string>

namespace model {

struct StatementStats {
  std::string queryid;  //!< pg_stat_statements queryid, as text (it is a signed 64-bit value)
  double calls = 0;
  double total_ms = 0;
  double mean_ms = 0;
  double stddev_ms = 0;
  double rows = 0;  //!< total rows returned or affected
  std::int64_t shared_blks_hit = 0;
  std::int64_t shared_blks_read = 0;
  std::int64_t temp_blks_written = 0;
  double window_seconds = 0;  //!< length of the window the figures cover; 0 when unknown

  double rows_per_call() const { return calls > 0 ? rows / calls : 0; }
};

}  // namespace model
