#pragma once
// The plan as a flat list of nodes with the context rules need (parent, parallel or not), and
// the time arithmetic shared by the rules and the summary.

#include <vector>

#include "model/plan.hpp"

namespace heuristics {

struct NodeRef {
  const model::PlanNode* node = nullptr;
  const model::PlanNode* parent = nullptr;  //!< null for the root
  int depth = 0;
  bool parallel = false;  //!< runs in workers: below a Gather or Gather Merge
};

//! Every node of the plan, depth-first, parents before children.
std::vector<NodeRef> flatten(const model::Plan& plan);

//! The node's own wall-clock time in ms. Inside a parallel section the loops are the
//! processes running side by side, so the time is divided by them (approximate).
double wall_ms(const NodeRef& ref);

//! The query's total time: Execution Time, else the root's inclusive time (0 without ANALYZE).
double total_ms(const model::Plan& plan);

//! wall_ms / total_ms clamped to 0..1; 0 when the plan has no timings.
double time_share(const NodeRef& ref, const model::Plan& plan);

//! The node's own share of the plan's estimated cost (its total cost minus its children's,
//! over the root's), 0..1: the stand-in for time_share when the plan has no timings.
double cost_share(const NodeRef& ref, const model::Plan& plan);

//! Rows the node read over all loops: returned plus removed by its filter (actuals), or the
//! estimate without ANALYZE.
double rows_read(const model::PlanNode& node);

//! Rows the node produced over all loops (actuals), or its estimate without ANALYZE.
double rows_out(const model::PlanNode& node);

//! Steps down through single-input nodes that only pass rows on (Hash, Materialize, Memoize,
//! Gather, Sort, Incremental Sort, Limit) to the node that produces them.
const model::PlanNode& producer(const model::PlanNode& node);

}  // namespace heuristics
