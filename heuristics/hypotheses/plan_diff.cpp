#include "heuristics/hypotheses/plan_diff.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace heuristics::hypotheses {

namespace {

PlanItem item_of(const model::PlanNode& node)
{
  PlanItem item;
  item.node_type = node.node_type;
  if (!node.relation_name.empty())
    item.relation = node.schema.empty() ? node.relation_name : node.schema + "." + node.relation_name;
  item.index = node.index_name;
  return item;
}

//! Items of `from` that `minus` does not account for, counting duplicates.
std::vector<PlanItem> multiset_minus(const std::vector<PlanItem>& from, const std::vector<PlanItem>& minus)
{
  std::map<PlanItem, int> remaining;
  for (const auto& item : minus)
    ++remaining[item];
  std::vector<PlanItem> out;
  for (const auto& item : from) {
    auto it = remaining.find(item);
    if (it != remaining.end() && it->second > 0) {
      --it->second;
      continue;
    }
    out.push_back(item);
  }
  return out;
}

std::set<std::string> index_names(const std::vector<PlanItem>& items)
{
  std::set<std::string> names;
  for (const auto& item : items)
    if (!item.index.empty())
      names.insert(item.index);
  return names;
}

std::string join_items(const std::vector<PlanItem>& items, std::size_t max_items)
{
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max_items; ++i) {
    if (i > 0)
      out += ", ";
    out += describe(items[i]);
  }
  if (items.size() > max_items)
    out += ", …";
  return out.empty() ? std::string("nothing") : out;
}

}  // namespace

PlanOutline outline_of(const model::Plan& plan, std::string hash)
{
  PlanOutline outline;
  outline.hash = std::move(hash);
  plan.visit([&](const model::PlanNode& node, int) { outline.items.push_back(item_of(node)); });
  return outline;
}

std::string describe(const PlanItem& item)
{
  std::string out = item.node_type;
  if (!item.index.empty())
    out += " using " + item.index;
  if (!item.relation.empty())
    out += " on " + item.relation;
  return out;
}

PlanDiff diff_plans(const PlanOutline& before, const PlanOutline& after)
{
  PlanDiff diff;
  diff.appeared = multiset_minus(after.items, before.items);
  diff.disappeared = multiset_minus(before.items, after.items);
  const auto used_before = index_names(before.items);
  const auto used_after = index_names(after.items);
  std::set_difference(used_after.begin(), used_after.end(), used_before.begin(), used_before.end(),
                      std::back_inserter(diff.indexes_appeared));
  std::set_difference(used_before.begin(), used_before.end(), used_after.begin(), used_after.end(),
                      std::back_inserter(diff.indexes_disappeared));
  return diff;
}

std::string summarize(const PlanDiff& diff, std::size_t max_items)
{
  if (diff.empty())
    return "same nodes (only the shape changed)";
  return join_items(diff.disappeared, max_items) + " → " + join_items(diff.appeared, max_items);
}

}  // namespace heuristics::hypotheses
