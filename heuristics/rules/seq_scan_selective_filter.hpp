#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! seq_scan_selective_filter: a sequential scan (parallel or not) that throws away most of the
//! rows it reads (removed / (removed + returned) >= selective_filter_ratio) on a table that is
//! not tiny (reltuples from the catalog, else the rows the scan read, >= min_table_rows).
//! Needs an analysed plan (the removed-rows count exists only with ANALYZE).
Rule seq_scan_selective_filter();

}  // namespace heuristics::rules
