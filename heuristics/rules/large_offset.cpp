#include "heuristics/rules/large_offset.hpp"

#include <algorithm>

#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "large_offset";

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (!require_analyze(context, k_id))
    return {};
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : flatten(*context.plan)) {
    const model::PlanNode& limit = *ref.node;
    if (limit.node_type != "Limit" || limit.children.empty() || !limit.analyzed())
      continue;
    const model::PlanNode& input = limit.children.front();
    if (!input.analyzed())
      continue;
    const double fetched = input.total_actual_rows();
    const double returned = limit.total_actual_rows();
    const double discarded = fetched - returned;
    if (discarded < settings.large_offset_rows)
      continue;

    const model::PlanNode& source = producer(input);
    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = "LIMIT fetched " + count_text(fetched) + " rows to return " + count_text(returned) +
                    ": " + count_text(discarded) + " skipped by OFFSET";
    finding.location = limit.label() + " over " + input.label();
    if (!source.relation_name.empty())
      finding.relation = scanned_relation(source, context);
    const double explained_ms = limit.inclusive_ms() * (discarded / std::max(fetched, 1.0));
    finding.evidence = {
      {"rows_fetched", fetched, "rows"},
      {"rows_returned", returned, "rows"},
      {"rows_discarded", discarded, "rows"},
      {"time", explained_ms, "ms"},
    };
    const double total = total_ms(*context.plan);
    finding.time_share = total > 0 ? std::clamp(explained_ms / total, 0.0, 1.0) : 0;
    finding.advice = "Every page re-reads and throws away all the rows before it, so late pages get slower: " +
                     std::string("paginate by key instead (WHERE sort_key < last value seen ORDER BY sort_key ") +
                     "LIMIT n) with an index on the sort key.";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule large_offset()
{
  return Rule{k_id, "LIMIT reads and discards many rows (large OFFSET)", true, true, run};
}

}  // namespace heuristics::rules
