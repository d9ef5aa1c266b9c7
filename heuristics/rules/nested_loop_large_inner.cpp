#include "heuristics/rules/nested_loop_large_inner.hpp"

#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "nested_loop_large_inner";

//! The inner side: the child EXPLAIN marks "Inner", else the second one.
const model::PlanNode* inner_child(const model::PlanNode& loop)
{
  for (const auto& child : loop.children)
    if (child.parent_relationship == "Inner")
      return &child;
  return loop.children.size() == 2 ? &loop.children[1] : nullptr;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (!require_analyze(context, k_id))
    return {};
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : flatten(*context.plan)) {
    const model::PlanNode& loop = *ref.node;
    if (loop.node_type != "Nested Loop" || !loop.analyzed())
      continue;
    const model::PlanNode* inner = inner_child(loop);
    if (inner == nullptr || !inner->analyzed())
      continue;
    const double loops = inner->loops();
    const double inner_rows = rows_read(*inner);  // over all loops, filtered rows included
    const double per_loop = loops > 0 ? inner_rows / loops : 0;
    const double join_removed = loop.rows_removed_by_join_filter.value_or(0) * loop.loops();
    if (loops < 2 || inner_rows < settings.nested_loop_inner_rows)
      continue;
    if (per_loop < settings.nested_loop_rows_per_loop && join_removed < settings.nested_loop_inner_rows)
      continue;

    const model::PlanNode& source = producer(*inner);
    const model::PlanNode* outer = nullptr;
    for (const auto& child : loop.children)
      if (&child != inner)
        outer = &child;

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = "Nested loop runs its inner side " + count_text(loops) + " times, reading " +
                    count_text(inner_rows) + " rows";
    finding.location = loop.label() + " over " + inner->label();
    if (!source.relation_name.empty())
      finding.relation = scanned_relation(source, context);
    finding.evidence = {
      {"inner_loops", loops, "loops"},
      {"inner_rows_read", inner_rows, "rows"},
      {"inner_rows_per_loop", per_loop, "rows"},
      {"rows_removed_by_join_filter", join_removed, "rows"},
      {"time", loop.inclusive_ms() - (outer != nullptr ? outer->inclusive_ms() : 0), "ms"},
    };
    if (outer != nullptr)
      finding.evidence.push_back({"outer_rows_estimated", outer->plan_rows, "rows"});
    const double total = total_ms(*context.plan);
    finding.time_share = total > 0 ? std::clamp(finding.evidence[4].value / total, 0.0, 1.0) : 0;
    const std::string condition = loop.join_filter.empty() ? source.filter : loop.join_filter;
    const std::string target = finding.relation.empty() ? "the inner table" : finding.relation;
    finding.advice = "Each outer row re-reads " + count_text(per_loop) + " inner rows" +
                     (condition.empty() ? "" : " to test " + condition) + ": an index on " + target +
                     "'s join column turns each loop into a lookup; otherwise a hash or merge join reads the inner " +
                     "side once (check enable_hashjoin/enable_mergejoin, and the outer estimate of " +
                     count_text(outer != nullptr ? outer->plan_rows : 0) + " rows).";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule nested_loop_large_inner()
{
  return Rule{k_id, "Nested loop re-reads a large inner side for every outer row", true, true, run};
}

}  // namespace heuristics::rules
