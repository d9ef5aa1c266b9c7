#pragma once
// Where a plan's time goes: its most expensive nodes, for reports and the recommendation trace.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/plan.hpp"

namespace heuristics {

struct NodeCost {
  std::string label;           //!< PlanNode::label()
  int depth = 0;               //!< 0 = root
  double exclusive_ms = 0;     //!< own wall time (parallel parts divided by their processes)
  double exclusive_cost = 0;   //!< own planner cost: total cost minus the children's
  double share = 0;            //!< 0..1 of the query's time (of its cost without ANALYZE)
  std::optional<double> actual_rows;  //!< per loop, as EXPLAIN prints it
  double estimated_rows = 0;          //!< per loop
  //! max(actual, estimated) / min(actual, estimated) (each at least 1): 1 = exact, 1000 =
  //! three orders of magnitude off. Unset without ANALYZE.
  std::optional<double> misestimate;
  double loops = 1;
  std::int64_t shared_hit = 0;   //!< the node's own blocks (EXPLAIN's minus the children's)
  std::int64_t shared_read = 0;
};

//! The n nodes with the most exclusive time, largest first; by exclusive cost when the plan
//! was not analysed. Ties keep plan order.
std::vector<NodeCost> top_nodes(const model::Plan& plan, std::size_t n);

}  // namespace heuristics
