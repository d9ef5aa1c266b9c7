#include "heuristics/rewrites/select_star.hpp"

#include "heuristics/rewrites/rewrite_support.hpp"

namespace heuristics::rewrites {

namespace {

//! A table with at least this many columns is wide.
constexpr std::size_t wide_columns = 10;
//! A statement called at least this often in the window is hot.
constexpr double hot_calls = 100;

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (context.shape == nullptr || !context.shape->select_star || context.stats == nullptr ||
      context.shape->kind != parser::StatementKind::select || context.stats->calls < hot_calls)
    return {};
  std::vector<model::Finding> findings;
  for (std::size_t t = 0; t < context.shape->tables.size(); ++t) {
    if (context.shape->tables[t].select_level != 0)
      continue;
    const model::TableInfo* info = catalog_table(context, t);
    if (info == nullptr || info->columns.size() < wide_columns)
      continue;
    auto finding = make_finding("select_star",
                                std::string("SELECT * over ") + std::to_string(info->columns.size()) + " columns in a hot statement",
                                "SELECT list", relation_of(context, t));
    finding.evidence = {{"columns", static_cast<double>(info->columns.size()), "count"},
                        {"calls", context.stats->calls, "calls"},
                        {"rows_per_call", context.stats->rows_per_call(), "rows"}};
    if (info->reltuples > 0 && info->size_bytes > 0)
      finding.evidence.push_back({"bytes_per_row", static_cast<double>(info->size_bytes) / info->reltuples, "bytes"});
    (void)settings;
    finding.advice = "Name the columns the application reads: fewer bytes per call, and an index that includes "
                     "them can answer the query with an index-only scan.";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule select_star()
{
  return Rule{"select_star", "SELECT * on a wide table in a hot statement", false, false, run};
}

}  // namespace heuristics::rewrites
