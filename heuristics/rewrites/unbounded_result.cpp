#include "heuristics/rewrites/unbounded_result.hpp"

#include "heuristics/rewrites/rewrite_support.hpp"

namespace heuristics::rewrites {

namespace {

//! More rows per call than this is a bulk load, not an answer for a screen.
constexpr double large_rows_per_call = 10000;

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  (void)settings;
  if (context.shape == nullptr || context.stats == nullptr || context.stats->calls <= 0 ||
      context.shape->kind != parser::StatementKind::select || context.shape->has_limit)
    return {};
  const double per_call = context.stats->rows_per_call();
  if (per_call < large_rows_per_call)
    return {};
  std::string relation;
  for (std::size_t t = 0; t < context.shape->tables.size() && relation.empty(); ++t)
    if (context.shape->tables[t].select_level == 0)
      relation = relation_of(context, t);
  auto finding = make_finding("unbounded_result", std::string("Every call returns about ") + std::to_string(static_cast<long long>(per_call)) +
                                                    " rows, with no LIMIT",
                              "whole statement", relation);
  finding.evidence = {{"rows_per_call", per_call, "rows"},
                      {"calls", context.stats->calls, "calls"},
                      {"rows", context.stats->rows, "rows"}};
  if (context.stats->calls > 0)
    finding.evidence.push_back({"mean_time", context.stats->mean_ms, "ms"});
  finding.advice = "Paginate with a LIMIT and a keyset (WHERE key > $last), or stream the rows: a cursor "
                   "(DECLARE … CURSOR; FETCH 10000) or COPY (…) TO STDOUT, so neither the server nor the client "
                   "holds the whole result in memory.";
  return {finding};
}

}  // namespace

Rule unbounded_result()
{
  return Rule{"unbounded_result", "Very large result without LIMIT", false, false, run};
}

}  // namespace heuristics::rewrites
