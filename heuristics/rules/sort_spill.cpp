#include "heuristics/rules/sort_spill.hpp"

#include <algorithm>
#include <cmath>

#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "sort_spill";
constexpr double block_kb = 8;

//! Memory an in-memory sort of these rows needs, from what the external sort wrote. In memory
//! each row costs a 24-byte SortTuple, a 16-byte chunk header and its tuple rounded up to a
//! power of two (the tape holds the bare tuple with a length word). Checked on PostgreSQL 15:
//! 500,000 rows, 16,696 kB on disk -> 43,539 kB in memory (estimate 50,781 kB); 50,000 rows,
//! 1,328 kB -> 4,662 kB (estimate 5,078 kB). Never less than twice the disk space.
double memory_needed_kb(double disk_kb, double rows)
{
  if (rows <= 0)
    return disk_kb * 2;
  const double tuple_bytes = disk_kb * 1024 / rows + 8;
  const double allocated = std::pow(2.0, std::ceil(std::log2(std::max(tuple_bytes, 8.0))));
  return std::max(disk_kb * 2, rows * (24 + 16 + allocated) / 1024);
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& /*settings*/)
{
  if (!require_analyze(context, k_id))
    return {};
  std::vector<model::Finding> findings;
  for (const NodeRef& ref : flatten(*context.plan)) {
    const model::PlanNode& sort = *ref.node;
    if (sort.node_type != "Sort" || !sort.analyzed())
      continue;
    if (sort.sort_space_type.empty()) {
      // A Sort that never ran (loops 0) prints no method either; that is not a version problem.
      if (sort.actual_loops.value_or(0) > 0)
        note_missing_field(context, k_id, sort, "Sort Space Type");
      continue;
    }
    if (sort.sort_space_type != "Disk")
      continue;
    if (!sort.sort_space_kb) {
      note_missing_field(context, k_id, sort, "Sort Space Used");
      continue;
    }
    const double disk_kb = static_cast<double>(*sort.sort_space_kb);
    const double rows = sort.total_actual_rows();
    const double needed_kb = memory_needed_kb(disk_kb, rows);

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = "Sort spilled " + kb_text(disk_kb) + " to disk (" + sort.sort_method + ")";
    finding.location = sort.label() + (sort.sort_keys.empty() ? "" : " by " + join_list(sort.sort_keys));
    const model::PlanNode& source = producer(sort.children.empty() ? sort : sort.children.front());
    if (!source.relation_name.empty())
      finding.relation = scanned_relation(source, context);
    finding.evidence = {
      {"sort_space_disk", disk_kb, "kB"},
      {"rows_sorted", rows, "rows"},
      {"work_mem_needed", needed_kb, "kB"},
      {"time", wall_ms(ref), "ms"},
    };
    if (sort.has_buffers)
      finding.evidence.push_back({"temp_written", own_temp_written_blocks(sort) * block_kb, "kB"});
    finding.time_share = time_share(ref, *context.plan);
    finding.advice = "The sort needs about " + kb_text(needed_kb) + " of memory: SET work_mem = '" +
                     memory_setting(needed_kb) + "' for this query (SET LOCAL, or per role) to sort in memory, " +
                     "or sort fewer rows or narrower rows.";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule sort_spill()
{
  return Rule{k_id, "Sort spilled to disk: work_mem too small for it", true, true, run};
}

}  // namespace heuristics::rules
