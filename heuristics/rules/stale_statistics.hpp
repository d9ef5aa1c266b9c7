#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! stale_statistics: a table the query reads whose statistics are stale: rows modified since
//! the last ANALYZE (n_mod_since_analyze) >= stale_modified_ratio of its live rows and at least
//! stale_min_modified, or never analysed while holding min_table_rows or more. Reads the
//! catalog's TableActivity (pg_stat_user_tables); the tables come from the plan's scans, else
//! from the query shape.
Rule stale_statistics();

}  // namespace heuristics::rules
