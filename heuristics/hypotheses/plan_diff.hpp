#pragma once
// The short diff of two plans a DBA reads first: which scans, joins and indexes appeared or
// disappeared ("Index Scan using orders_customer_id_idx on shop.orders" → "Seq Scan on
// shop.orders").

#include <string>
#include <vector>

#include "heuristics/hypotheses/evidence.hpp"
#include "model/plan.hpp"

namespace heuristics::hypotheses {

//! The plan's nodes as PlanItems, depth-first; `hash` is copied as given.
PlanOutline outline_of(const model::Plan& plan, std::string hash);

//! "Index Scan using orders_pkey on shop.orders"; "Hash Join" when no relation.
std::string describe(const PlanItem& item);

struct PlanDiff {
  std::vector<PlanItem> appeared;     //!< in `after`, not in `before` (multiset difference)
  std::vector<PlanItem> disappeared;  //!< in `before`, not in `after`
  std::vector<std::string> indexes_appeared;     //!< index names newly used
  std::vector<std::string> indexes_disappeared;  //!< index names no longer used

  bool empty() const { return appeared.empty() && disappeared.empty(); }
};

//! Multiset difference of the two outlines, each list in the order the nodes appear.
PlanDiff diff_plans(const PlanOutline& before, const PlanOutline& after);

//! One line: "Index Scan using a on t → Seq Scan on t" (at most `max_items` per side, then
//! "…"); "same nodes (only the shape changed)" when nothing appeared or disappeared.
std::string summarize(const PlanDiff& diff, std::size_t max_items = 3);

}  // namespace heuristics::hypotheses
