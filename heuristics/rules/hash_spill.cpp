#include "heuristics/rules/hash_spill.hpp"

#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "hash_spill";
constexpr double block_kb = 8;
//! PostgreSQL 15's default: hash tables may use work_mem x hash_mem_multiplier.
constexpr double default_hash_mem_multiplier = 2.0;

bool hash_join(const model::PlanNode* node)
{
  return node != nullptr && node->node_type == "Hash Join";
}

bool hash_aggregate(const model::PlanNode& node)
{
  return node.node_type == "Aggregate" && (node.strategy == "Hashed" || node.strategy == "Mixed");
}

std::string advice(double needed_kb)
{
  return "The hash table needs about " + kb_text(needed_kb) + " to fit in one batch: make work_mem x " +
         "hash_mem_multiplier at least that, e.g. SET work_mem = '" +
         memory_setting(needed_kb / default_hash_mem_multiplier) + "' with the default hash_mem_multiplier = 2, " +
         "or raise hash_mem_multiplier to keep other sorts and hashes small.";
}

//! Hash of a Hash Join with more than one batch. Needed memory: the peak of one batch times
//! the batches (checked on PostgreSQL 15: 8 batches of 425 kB -> 2,856 kB in one batch).
std::optional<model::Finding> join_spill(const NodeRef& ref, const RuleContext& context, double parent_ms)
{
  const model::PlanNode& hash = *ref.node;
  if (!hash.hash_batches) {
    note_missing_field(context, k_id, hash, "Hash Batches");
    return std::nullopt;
  }
  if (*hash.hash_batches <= 1)
    return std::nullopt;
  const double batches = *hash.hash_batches;
  const double peak_kb = hash.peak_memory_kb.value_or(0);
  const double needed_kb = peak_kb * batches;

  model::Finding finding;
  finding.rule_id = k_id;
  finding.title = "Hash join spilled: " + count_text(batches) + " batches of " + kb_text(peak_kb);
  finding.location = ref.parent->label() + (ref.parent->hash_cond.empty() ? "" : " on " + ref.parent->hash_cond);
  const model::PlanNode& source = producer(hash);
  if (!source.relation_name.empty())
    finding.relation = scanned_relation(source, context);
  finding.evidence = {
    {"hash_batches", batches, "batches"},
    {"original_hash_batches", hash.original_hash_batches.value_or(batches), "batches"},
    {"peak_memory", peak_kb, "kB"},
    {"hash_memory_needed", needed_kb, "kB"},
    {"rows_hashed", hash.total_actual_rows(), "rows"},
    {"time", wall_ms(ref) + parent_ms, "ms"},
  };
  if (hash.has_buffers)
    finding.evidence.push_back({"temp_written", static_cast<double>(ref.parent->buffers.temp_written) * block_kb, "kB"});
  const double total = total_ms(*context.plan);
  finding.time_share = total > 0 ? std::min(1.0, (wall_ms(ref) + parent_ms) / total) : 0;
  finding.advice = advice(needed_kb);
  if (hash.original_hash_batches && *hash.original_hash_batches < batches)
    finding.advice += " The batches grew at run time: the row estimate of the hashed side was low.";
  return finding;
}

//! HashAggregate that spilled: HashAgg Batches > 1 (PostgreSQL 13+), or temp blocks it wrote
//! itself (BUFFERS). Needed memory: peak x batches (checked on PostgreSQL 15: 9 batches of
//! 1,041 kB -> 7,185 kB in one); without the batch count, peak plus what it wrote (an upper bound).
std::optional<model::Finding> aggregate_spill(const NodeRef& ref, const RuleContext& context)
{
  const model::PlanNode& agg = *ref.node;
  const double temp_kb = own_temp_written_blocks(agg) * block_kb;
  const bool spilled = agg.hashagg_batches ? *agg.hashagg_batches > 1 : temp_kb > 0;
  if (!agg.hashagg_batches && !agg.has_buffers) {
    note_missing_field(context, k_id, agg, "HashAgg Batches");
    return std::nullopt;
  }
  if (!spilled)
    return std::nullopt;
  const double peak_kb = agg.peak_memory_kb.value_or(0);
  const double disk_kb = agg.disk_usage_kb ? static_cast<double>(*agg.disk_usage_kb) : temp_kb;
  const double needed_kb = agg.hashagg_batches ? peak_kb * *agg.hashagg_batches : peak_kb + disk_kb;

  model::Finding finding;
  finding.rule_id = k_id;
  finding.title = "Hash aggregate spilled " + kb_text(disk_kb) + " to disk" +
                  (agg.hashagg_batches ? " in " + count_text(*agg.hashagg_batches) + " batches" : "");
  finding.location = agg.label() + (agg.group_keys.empty() ? "" : " by " + join_list(agg.group_keys));
  const model::PlanNode& source = producer(agg.children.empty() ? agg : agg.children.front());
  if (!source.relation_name.empty())
    finding.relation = scanned_relation(source, context);
  if (agg.hashagg_batches)
    finding.evidence.push_back({"hashagg_batches", *agg.hashagg_batches, "batches"});
  finding.evidence.push_back({"disk_usage", disk_kb, "kB"});
  finding.evidence.push_back({"peak_memory", peak_kb, "kB"});
  finding.evidence.push_back({"hash_memory_needed", needed_kb, "kB"});
  finding.evidence.push_back({"groups", agg.total_actual_rows(), "rows"});
  finding.evidence.push_back({"time", wall_ms(ref), "ms"});
  finding.time_share = time_share(ref, *context.plan);
  finding.advice = advice(needed_kb);
  return finding;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& /*settings*/)
{
  if (!require_analyze(context, k_id))
    return {};
  const std::vector<NodeRef> nodes = flatten(*context.plan);
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : nodes) {
    if (!ref.node->analyzed() || ref.node->actual_loops.value_or(0) <= 0)
      continue;
    std::optional<model::Finding> finding;
    if (ref.node->node_type == "Hash" && hash_join(ref.parent)) {
      double parent_ms = 0;
      for (const NodeRef& other : nodes)
        if (other.node == ref.parent)
          parent_ms = wall_ms(other);
      finding = join_spill(ref, context, parent_ms);
    } else if (hash_aggregate(*ref.node)) {
      finding = aggregate_spill(ref, context);
    }
    if (finding)
      findings.push_back(std::move(*finding));
  }
  return findings;
}

}  // namespace

Rule hash_spill()
{
  return Rule{k_id, "Hash join or hash aggregate spilled to disk in batches", true, true, run};
}

}  // namespace heuristics::rules
