#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! sort_limit_without_index: a Sort whose order an index could provide: under a LIMIT (a
//! top-N sort that reads its whole input to return a few rows) over at least min_table_rows
//! input rows, or any Sort over at least large_sort_rows. Works on estimates without ANALYZE.
Rule sort_limit_without_index();

}  // namespace heuristics::rules
