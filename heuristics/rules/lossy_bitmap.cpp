#include "heuristics/rules/lossy_bitmap.hpp"

#include "heuristics/number_format.hpp"
#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "lossy_bitmap";
//! A TIDBitmap page entry with its hash slot is about 64 bytes; twice that leaves headroom.
constexpr double bytes_per_block = 128;

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (!require_analyze(context, k_id))
    return {};
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : flatten(*context.plan)) {
    const model::PlanNode& scan = *ref.node;
    if (scan.node_type != "Bitmap Heap Scan" || !scan.analyzed() || scan.actual_loops.value_or(0) <= 0)
      continue;
    if (!scan.lossy_heap_blocks && !scan.exact_heap_blocks) {
      note_missing_field(context, k_id, scan, "Lossy Heap Blocks");
      continue;
    }
    const double lossy = scan.lossy_heap_blocks.value_or(0) * scan.loops();
    const double exact = scan.exact_heap_blocks.value_or(0) * scan.loops();
    if (lossy <= 0 || lossy / (lossy + exact) < settings.lossy_block_ratio)
      continue;
    const double needed_kb = (lossy + exact) / scan.loops() * bytes_per_block / 1024;

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = "Bitmap went lossy: " + count_text(lossy) + " of " + count_text(lossy + exact) +
                    " heap blocks rechecked row by row (" + format_percent(lossy / (lossy + exact)) + ")";
    finding.location = scan.label();
    finding.relation = scanned_relation(scan, context);
    finding.evidence = {
      {"lossy_heap_blocks", lossy, "blocks"},
      {"exact_heap_blocks", exact, "blocks"},
      {"lossy_ratio", lossy / (lossy + exact), "ratio"},
      {"rows_removed_by_index_recheck", scan.rows_removed_by_index_recheck.value_or(0) * scan.loops(), "rows"},
      {"work_mem_needed", needed_kb, "kB"},
      {"time", wall_ms(ref), "ms"},
    };
    finding.time_share = time_share(ref, *context.plan) * (lossy / (lossy + exact));
    finding.advice = "The bitmap of " + count_text((lossy + exact) / scan.loops()) +
                     " heap blocks did not fit in work_mem: SET work_mem = '" + memory_setting(needed_kb) +
                     "' for this query keeps it exact, or a more selective index condition needs fewer blocks.";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule lossy_bitmap()
{
  return Rule{k_id, "Bitmap heap scan went lossy: work_mem too small for the bitmap", true, true, run};
}

}  // namespace heuristics::rules
