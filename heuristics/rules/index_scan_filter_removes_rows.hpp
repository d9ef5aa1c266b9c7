#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! index_scan_filter_removes_rows: an Index Scan, Index Only Scan or Bitmap Heap Scan whose
//! Filter throws away most of the rows the index found (removed / read >= selective_filter_ratio,
//! at least index_filter_min_removed rows): the index does not cover the filter, a multi-column
//! index (equality columns first) would. Needs ANALYZE.
Rule index_scan_filter_removes_rows();

}  // namespace heuristics::rules
