#include "heuristics/rules/stale_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "heuristics/number_format.hpp"
#include "heuristics/plan_walk.hpp"
#include "heuristics/rules/rule_support.hpp"
#include "heuristics/shape_columns.hpp"

namespace heuristics::rules {

namespace {

const std::string k_id = "stale_statistics";

//! An ANALYZE this recent describes the table as it is when its row count still matches.
constexpr double recent_analyze_seconds = 300;

struct TableUse {
  const model::TableInfo* table = nullptr;
  double ms = 0;          //!< wall time of the plan's scans of it
  double cost_share = 0;  //!< their share of the plan's cost (for plans without timings)
};

//! The tables the query reads, in first-seen order, with the time spent scanning each.
std::vector<TableUse> tables_read(const RuleContext& context)
{
  std::vector<TableUse> out;
  auto add = [&](const model::TableInfo* table, double ms, double cost_share) {
    if (table == nullptr)
      return;
    for (auto& use : out)
      if (use.table == table) {
        use.ms += ms;
        use.cost_share += cost_share;
        return;
      }
    out.push_back({table, ms, cost_share});
  };
  if (context.plan != nullptr) {
    for (const NodeRef& ref : flatten(*context.plan))
      if (!ref.node->relation_name.empty())
        add(scanned_table(*ref.node, context), wall_ms(ref), cost_share(ref, *context.plan));
  } else if (context.shape != nullptr) {
    for (const auto& table : context.shape->tables)
      add(find_table(table, context.catalog), 0, 0);
  }
  return out;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (context.catalog == nullptr) {
    add_note(context, k_id, "skipped: no catalog (table activity comes from pg_stat_user_tables)");
    return {};
  }
  const double total = context.plan != nullptr ? total_ms(*context.plan) : 0;
  std::vector<model::Finding> findings;
  for (const TableUse& use : tables_read(context)) {
    const model::TableInfo& table = *use.table;
    const std::string relation = relation_text(table.schema, table.name);
    if (!table.activity) {
      add_note(context, k_id, "skipped " + relation + ": no pg_stat_user_tables figures for it");
      continue;
    }
    const model::TableActivity& activity = *table.activity;
    const double modified = static_cast<double>(activity.n_mod_since_analyze);
    const double live = static_cast<double>(activity.n_live_tup);
    const double ratio = modified / std::max(live, 1.0);
    const bool never = !activity.seconds_since_analyze.has_value();
    const bool stale = modified >= settings.stale_min_modified && ratio >= settings.stale_modified_ratio;
    if (!stale && !(never && live >= settings.min_table_rows))
      continue;
    // Just analysed and the sample saw the table's current size: the statistics are fresh and
    // the modification counter is an artifact (PostgreSQL 15 flushes a session's insert
    // counts after the ANALYZE that followed them in the same session).
    if (stale && activity.seconds_since_analyze && *activity.seconds_since_analyze < recent_analyze_seconds &&
        table.reltuples > 0 && std::abs(table.reltuples - live) <= 0.1 * std::max(live, 1.0))
      continue;

    model::Finding finding;
    finding.rule_id = k_id;
    finding.title = never ? "Statistics of " + relation + " were never gathered (" + count_text(live) + " rows)"
                          : "Statistics of " + relation + " are stale: " + count_text(modified) +
                              " rows modified since the last ANALYZE (" + format_percent(ratio) + " of the table)";
    finding.location = "table " + relation;
    finding.relation = relation;
    finding.evidence = {
      {"n_mod_since_analyze", modified, "rows"},
      {"n_live_tup", live, "rows"},
      {"modified_ratio", ratio, "ratio"},
    };
    if (activity.seconds_since_analyze)
      finding.evidence.push_back({"seconds_since_analyze", *activity.seconds_since_analyze, "s"});
    // Without timings (a generic plan, EXPLAIN without ANALYZE) the scans' share of the cost
    // stands in: an estimate planned on the very statistics in question, but the best there is.
    finding.time_share = total > 0 ? std::clamp(use.ms / total, 0.0, 1.0) : std::clamp(use.cost_share, 0.0, 1.0);
    finding.advice = "ANALYZE " + relation + "; the planner's row estimates for it predate " + count_text(modified) +
                     " changed rows. If autovacuum lags on this table, lower its autovacuum_analyze_scale_factor " +
                     "(ALTER TABLE " + relation + " SET (autovacuum_analyze_scale_factor = 0.02)).";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule stale_statistics()
{
  return Rule{k_id, "Table statistics are stale: many rows modified since the last ANALYZE", false, false, run};
}

}  // namespace heuristics::rules
