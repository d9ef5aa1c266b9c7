#include "heuristics/plan_summary.hpp"

#include <algorithm>

#include "heuristics/plan_walk.hpp"

namespace heuristics {

namespace {

double exclusive_cost(const model::PlanNode& node)
{
  double children = 0;
  for (const auto& child : node.children)
    children += child.total_cost;
  return std::max(0.0, node.total_cost - children);
}

// EXPLAIN's buffer counts include the children's: the node's own is the difference.
std::int64_t own_blocks(const model::PlanNode& node, std::int64_t model::Buffers::*field)
{
  std::int64_t children = 0;
  for (const auto& child : node.children)
    children += child.buffers.*field;
  return std::max<std::int64_t>(0, node.buffers.*field - children);
}

}  // namespace

std::vector<NodeCost> top_nodes(const model::Plan& plan, std::size_t n)
{
  const bool timed = plan.analyzed && total_ms(plan) > 0;
  const double total = timed ? total_ms(plan) : plan.root.total_cost;

  std::vector<NodeCost> costs;
  for (const NodeRef& ref : flatten(plan)) {
    const model::PlanNode& node = *ref.node;
    NodeCost cost;
    cost.label = node.label();
    cost.depth = ref.depth;
    cost.exclusive_ms = wall_ms(ref);
    cost.exclusive_cost = exclusive_cost(node);
    const double own = timed ? cost.exclusive_ms : cost.exclusive_cost;
    cost.share = total > 0 ? std::clamp(own / total, 0.0, 1.0) : 0;
    cost.actual_rows = node.actual_rows;
    cost.estimated_rows = node.plan_rows;
    if (node.actual_rows) {
      const double actual = std::max(1.0, *node.actual_rows);
      const double estimated = std::max(1.0, node.plan_rows);
      cost.misestimate = std::max(actual, estimated) / std::min(actual, estimated);
    }
    cost.loops = node.loops();
    cost.shared_hit = own_blocks(node, &model::Buffers::shared_hit);
    cost.shared_read = own_blocks(node, &model::Buffers::shared_read);
    costs.push_back(std::move(cost));
  }
  std::stable_sort(costs.begin(), costs.end(), [timed](const NodeCost& a, const NodeCost& b) {
    return timed ? a.exclusive_ms > b.exclusive_ms : a.exclusive_cost > b.exclusive_cost;
  });
  if (costs.size() > n)
    costs.resize(n);
  return costs;
}

}  // namespace heuristics
