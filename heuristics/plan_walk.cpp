#include "heuristics/plan_walk.hpp"

#include <algorithm>
#include <string>

namespace heuristics {

namespace {

void flatten_into(const model::PlanNode& node, const model::PlanNode* parent, int depth, bool parallel,
                  std::vector<NodeRef>& out)
{
  out.push_back(NodeRef{&node, parent, depth, parallel});
  const bool children_parallel = parallel || node.node_type == "Gather" || node.node_type == "Gather Merge";
  for (const auto& child : node.children)
    flatten_into(child, &node, depth + 1, children_parallel, out);
}

}  // namespace

std::vector<NodeRef> flatten(const model::Plan& plan)
{
  std::vector<NodeRef> out;
  flatten_into(plan.root, nullptr, 0, false, out);
  return out;
}

double wall_ms(const NodeRef& ref)
{
  const double ms = ref.node->exclusive_ms();
  if (ref.parallel && ref.node->loops() > 1)
    return ms / ref.node->loops();
  return ms;
}

double total_ms(const model::Plan& plan)
{
  if (plan.execution_ms && *plan.execution_ms > 0)
    return *plan.execution_ms;
  return plan.root.inclusive_ms();
}

double time_share(const NodeRef& ref, const model::Plan& plan)
{
  const double total = total_ms(plan);
  if (total <= 0)
    return 0;
  return std::clamp(wall_ms(ref) / total, 0.0, 1.0);
}

double cost_share(const NodeRef& ref, const model::Plan& plan)
{
  const double total = plan.root.total_cost;
  if (total <= 0)
    return 0;
  double own = ref.node->total_cost;
  for (const auto& child : ref.node->children)
    own -= child.total_cost;
  return std::clamp(own / total, 0.0, 1.0);
}

double rows_read(const model::PlanNode& node)
{
  if (!node.analyzed())
    return node.plan_rows;
  return (node.actual_rows.value_or(0) + node.rows_removed_by_filter.value_or(0)) * node.loops();
}

double rows_out(const model::PlanNode& node)
{
  if (!node.analyzed())
    return node.plan_rows;
  return node.total_actual_rows();
}

const model::PlanNode& producer(const model::PlanNode& node)
{
  static const char* const pass_through[] = {"Hash", "Materialize", "Memoize", "Gather", "Gather Merge",
                                             "Sort", "Incremental Sort", "Limit"};
  const model::PlanNode* current = &node;
  while (current->children.size() == 1 &&
         std::any_of(std::begin(pass_through), std::end(pass_through),
                     [&](const char* type) { return current->node_type == type; }))
    current = &current->children.front();
  return *current;
}

}  // namespace heuristics
