#include "heuristics/triage/risk.hpp"

#include "heuristics/number_format.hpp"

namespace heuristics::triage {

namespace {

RiskAssessment index_risk(const RiskInputs& in, const RiskLimits& limits)
{
  if (!in.concurrently)
    return {Risk::high, "CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds"};
  if (in.index_method != "btree")
    return {Risk::medium, in.index_method + " index: slower to build and to maintain on every write than a b-tree"};
  if (in.table_bytes <= 0)
    return {Risk::medium, "the table's size is unknown, so the size cap cannot be checked"};
  if (in.table_bytes > limits.max_table_bytes)
    return {Risk::medium, "the table (" + format_bytes(in.table_bytes) + ") is over the size cap (" +
                              format_bytes(limits.max_table_bytes) + "): a long build"};
  if (in.index_bytes > limits.max_index_bytes)
    return {Risk::medium, "a large index (" + format_bytes(in.index_bytes) + ", cap " +
                              format_bytes(limits.max_index_bytes) + ")"};
  if (in.key_columns > limits.max_key_columns)
    return {Risk::medium, "a wide index (" + std::to_string(in.key_columns) + " columns, cap " +
                              std::to_string(limits.max_key_columns) + ")"};
  if (in.table_writes_per_second > limits.max_writes_per_second)
    return {Risk::medium, "the table takes " + format_number(in.table_writes_per_second) +
                              " writes/s (cap " + format_number(limits.max_writes_per_second) +
                              "): every write also maintains the index"};
  return {Risk::low, "a b-tree built CONCURRENTLY on a " + format_bytes(in.table_bytes) +
                         " table with a modest write rate"};
}

}  // namespace

const char* to_string(Risk risk)
{
  switch (risk) {
    case Risk::low: return "low";
    case Risk::medium: return "medium";
    case Risk::high: return "high";
  }
  return "high";
}

RiskAssessment assess_risk(const RiskInputs& inputs, const RiskLimits& limits)
{
  using model::RecommendationKind;
  switch (inputs.kind) {
    case RecommendationKind::create_index:
      return index_risk(inputs, limits);
    case RecommendationKind::analyze:
      if (inputs.statistics_stale)
        return {Risk::low, "ANALYZE of a table with stale statistics: cheap, takes no blocking lock"};
      return {Risk::medium, "the statistics are not stale: a new sample may change plans without a reason"};
    case RecommendationKind::create_statistics:
      return {Risk::medium, "extended statistics change the estimates of every query on the table"};
    case RecommendationKind::drop_index:
      return {Risk::high, "DROP INDEX: a query that still needs it becomes slow at once"};
    case RecommendationKind::rewrite:
      return {Risk::high, "a query rewrite changes application code"};
    case RecommendationKind::config:
      return {Risk::high, "a configuration change affects every query on the server"};
  }
  return {Risk::high, "unknown kind"};
}

}  // namespace heuristics::triage
