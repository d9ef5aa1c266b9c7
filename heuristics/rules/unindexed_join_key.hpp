#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! unindexed_join_key: a join that reads a whole table with a Seq Scan to match a join key
//! that no index leads with: the inner side of a Nested Loop, or either side of a Hash/Merge
//! Join when the other side has few rows (at most join_probe_ratio of the scanned table), so
//! that index lookups would replace the scan. The join column comes from the shape's join
//! equalities, else from the join's condition text; the catalog decides "no index" when given.
Rule unindexed_join_key();

}  // namespace heuristics::rules
