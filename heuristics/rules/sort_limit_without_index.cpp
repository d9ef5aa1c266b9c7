#include "heuristics/rules/sort_limit_without_index.hpp"

#include <map>

#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

//! Whether a Limit consumes the sort's output, directly or through a Gather Merge.
bool under_limit(const NodeRef& ref, const std::map<const model::PlanNode*, const model::PlanNode*>& parents)
{
  const model::PlanNode* parent = ref.parent;
  if (parent != nullptr && parent->node_type == "Gather Merge") {
    const auto it = parents.find(parent);
    parent = it == parents.end() ? nullptr : it->second;
  }
  return parent != nullptr && parent->node_type == "Limit";
}

std::string join_keys(const std::vector<std::string>& keys)
{
  std::string text;
  for (const auto& key : keys)
    text += (text.empty() ? "" : ", ") + key;
  return text;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  const std::vector<NodeRef> nodes = flatten(*context.plan);
  std::map<const model::PlanNode*, const model::PlanNode*> parents;
  for (const NodeRef& ref : nodes)
    parents[ref.node] = ref.parent;

  std::vector<model::Finding> findings;
  for (const NodeRef& ref : nodes) {
    const model::PlanNode& sort = *ref.node;
    if (sort.node_type != "Sort" || sort.children.empty())
      continue;
    const model::PlanNode& input = sort.children.front();
    // Per sort execution: a sort under a Nested Loop runs once per loop.
    const double input_rows = rows_out(input) / sort.loops();
    const bool limited = under_limit(ref, parents);
    if (!(limited && input_rows >= settings.min_table_rows) && input_rows < settings.large_sort_rows)
      continue;

    const model::PlanNode& source = producer(input);
    model::Finding finding;
    finding.rule_id = "sort_limit_without_index";
    const std::string method = sort.sort_method.empty() ? "" : " (" + sort.sort_method + ")";
    finding.title = (limited ? "Top-N sort" : "Sort") + method + " of " + count_text(input_rows) + " rows" +
                    (limited ? " to return the first few under LIMIT" : "");
    finding.location = sort.label() + (sort.sort_keys.empty() ? "" : " by " + join_keys(sort.sort_keys));
    if (!source.relation_name.empty())
      finding.relation = scanned_relation(source, context);
    finding.evidence.push_back({"input_rows", input_rows, "rows"});
    if (sort.sort_space_kb)
      finding.evidence.push_back({sort.sort_space_type == "Disk" ? "sort_space_disk" : "sort_space_memory",
                                  static_cast<double>(*sort.sort_space_kb), "kB"});
    if (sort.analyzed())
      finding.evidence.push_back({"time", wall_ms(ref), "ms"});
    else
      finding.evidence.push_back({"sort_cost", sort.total_cost - input.total_cost, "cost"});
    finding.time_share = time_share(ref, *context.plan);
    const std::string target = finding.relation.empty() ? "the sorted table" : finding.relation;
    finding.advice = "An index on " + target + " matching the sort keys (" + join_keys(sort.sort_keys) +
                     ") returns rows already in order" + (limited ? ", so the LIMIT stops after a few rows." : ".");
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule sort_limit_without_index()
{
  return Rule{"sort_limit_without_index", "Sort an index could avoid (top-N under LIMIT or a large sort)", true, false,
              run};
}

}  // namespace heuristics::rules
