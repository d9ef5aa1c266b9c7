#include "heuristics/unvalidated_estimate.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <vector>

#include "heuristics/number_format.hpp"

namespace heuristics {

namespace {

// PostgreSQL's default planner cost constants.
constexpr double seq_page_cost = 1.0;
constexpr double random_page_cost = 4.0;
constexpr double cpu_tuple_cost = 0.01;
constexpr double cpu_operator_cost = 0.0025;
constexpr double cpu_index_tuple_cost = 0.005;
//! Share of rows a single trigram keeps: a rough figure for natural-language text.
constexpr double trigram_keep = 0.2;

bool is_separator(char c)
{
  return std::string_view("%_\\.^$*+?()[]{}| ").find(c) != std::string_view::npos;
}

//! Number of distinct trigrams in the literal runs of the pattern.
std::size_t trigram_count(const std::string& pattern)
{
  std::set<std::string> trigrams;
  std::string run;
  auto flush = [&] {
    for (std::size_t i = 0; i + 3 <= run.size(); ++i)
      trigrams.insert(run.substr(i, 3));
    run.clear();
  };
  for (char c : pattern) {
    if (is_separator(c))
      flush();
    else
      run += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  flush();
  return trigrams.size();
}

struct Scan {
  double cost = 0;
  double rows_out = 0;
  double rows_scanned = 0;
};

//! The scans of the table that read it all and filter: what a GIN index would replace.
std::vector<Scan> filtering_scans(const model::Plan& plan, const model::TableInfo& table)
{
  std::vector<Scan> scans;
  plan.visit([&](const model::PlanNode& node, int) {
    if (node.relation_name != table.name || (!node.schema.empty() && node.schema != table.schema) ||
        node.node_type != "Seq Scan" || node.filter.empty())
      return;
    Scan scan;
    scan.cost = node.total_cost;
    if (node.analyzed() && node.rows_removed_by_filter) {
      scan.rows_out = node.total_actual_rows();
      scan.rows_scanned = scan.rows_out + *node.rows_removed_by_filter * node.loops();
    } else {
      // A parallel scan's plan rows are per worker; reltuples is the whole table either way.
      scan.rows_scanned = std::max(1.0, table.reltuples);
      scan.rows_out = std::min(scan.rows_scanned, node.plan_rows * (node.parallel_aware ? 2.4 : 1.0));
    }
    scans.push_back(scan);
  });
  return scans;
}

std::string table_label(const model::TableInfo& table)
{
  return table.schema.empty() ? table.name : table.schema + "." + table.name;
}

}  // namespace

double UnvalidatedEstimate::improvement() const
{
  return plan_cost_before > 0 ? 1.0 - plan_cost_after / plan_cost_before : 0.0;
}

std::optional<double> trigram_selectivity(const std::string& pattern, double rows)
{
  const std::size_t count = trigram_count(pattern);
  if (count == 0)
    return std::nullopt;
  const double floor = 1.0 / std::max(1.0, rows);
  return std::max(floor, std::pow(trigram_keep, static_cast<double>(count)));
}

UnvalidatedEstimate estimate_unvalidated(const IndexCandidate& candidate, const model::Plan& plan,
                                         const model::TableInfo& table, const std::optional<std::string>& pattern)
{
  UnvalidatedEstimate estimate;
  estimate.plan_cost_before = plan.root.total_cost;
  estimate.plan_cost_after = plan.root.total_cost;
  const auto scans = filtering_scans(plan, table);
  if (scans.empty()) {
    estimate.reason = "the plan does not scan " + table_label(table) + " sequentially with a filter: no benefit estimated";
    return estimate;
  }
  std::optional<double> pattern_selectivity;
  if (pattern) {
    pattern_selectivity = trigram_selectivity(*pattern, table.reltuples);
    if (!pattern_selectivity) {
      for (const auto& scan : scans)
        estimate.scan_cost_before += scan.cost;
      estimate.scan_cost_after = estimate.scan_cost_before;
      estimate.selectivity = 1.0;
      estimate.reason = "the pattern '" + *pattern + "' has no run of 3 characters: a trigram index cannot narrow it";
      return estimate;
    }
  }
  const double pages = static_cast<double>(std::max<std::int64_t>(1, table.relpages));
  const double entries = pattern ? static_cast<double>(trigram_count(*pattern)) : 1.0;
  double saved = 0;
  for (const auto& scan : scans) {
    const double plan_selectivity = scan.rows_out / std::max(1.0, scan.rows_scanned);
    const double selectivity = std::max(plan_selectivity, pattern_selectivity.value_or(0.0));
    const double fetched = selectivity * scan.rows_scanned;
    // Mackert-Lohman style estimate of the heap pages a bitmap visits, and PostgreSQL's
    // interpolation between sequential and random page cost for them.
    const double pages_fetched = std::min(pages, 2.0 * pages * fetched / (2.0 * pages + fetched));
    const double page_cost = random_page_cost - (random_page_cost - seq_page_cost) * std::sqrt(pages_fetched / pages);
    const double heap = pages_fetched * page_cost + fetched * (cpu_tuple_cost + cpu_operator_cost);
    const double index = entries * random_page_cost + fetched * cpu_index_tuple_cost;
    const double after = std::min(scan.cost, heap + index);
    estimate.scan_cost_before += scan.cost;
    estimate.scan_cost_after += after;
    estimate.rows_scanned += scan.rows_scanned;
    estimate.selectivity = std::max(estimate.selectivity, selectivity);
    saved += scan.cost - after;
  }
  estimate.plan_cost_after = std::max(0.0, estimate.plan_cost_before - saved);
  estimate.reason = "not validated (HypoPG cannot build " + candidate.access_method + " indexes): the sequential scan of " +
                    table_label(table) + " reads " + format_number(estimate.rows_scanned) + " rows and keeps " +
                    format_percent(estimate.selectivity) + (pattern ? " (trigram estimate included)" : "") +
                    "; a bitmap scan through the index would cost about " + format_number(estimate.scan_cost_after) +
                    " instead of " + format_number(estimate.scan_cost_before);
  return estimate;
}

}  // namespace heuristics
