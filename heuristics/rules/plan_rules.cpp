#include "heuristics/rules/plan_rules.hpp"

#include "heuristics/rules/cte_materialized.hpp"
#include "heuristics/rules/hash_spill.hpp"
#include "heuristics/rules/heap_fetches.hpp"
#include "heuristics/rules/index_scan_filter_removes_rows.hpp"
#include "heuristics/rules/jit_overhead.hpp"
#include "heuristics/rules/large_offset.hpp"
#include "heuristics/rules/lossy_bitmap.hpp"
#include "heuristics/rules/low_read_efficiency.hpp"
#include "heuristics/rules/nested_loop_large_inner.hpp"
#include "heuristics/rules/row_misestimate.hpp"
#include "heuristics/rules/seq_scan_selective_filter.hpp"
#include "heuristics/rules/sort_limit_without_index.hpp"
#include "heuristics/rules/sort_spill.hpp"
#include "heuristics/rules/stale_statistics.hpp"
#include "heuristics/rules/unindexed_join_key.hpp"
#include "heuristics/rules/workers_not_launched.hpp"

namespace heuristics::rules {

std::vector<Rule> plan_rules()
{
  return {
    seq_scan_selective_filter(),
    sort_limit_without_index(),
    unindexed_join_key(),
    index_scan_filter_removes_rows(),
    sort_spill(),
    hash_spill(),
    row_misestimate(),
    nested_loop_large_inner(),
    lossy_bitmap(),
    heap_fetches(),
    workers_not_launched(),
    jit_overhead(),
    large_offset(),
    low_read_efficiency(),
    stale_statistics(),
    cte_materialized(),
  };
}

}  // namespace heuristics::rules
