#pragma once
// The index half of the workload engine: candidates of every kind pooled over the workload,
// merged, sized and chosen with HypoPG what-if costs (heuristics::select_for_workload); GIN
// candidates estimated from the plan; without HypoPG, heuristic advice marked unvalidated.

#include <string>
#include <vector>

#include "advisor/workload_advice.hpp"
#include "advisor/workload_planning.hpp"
#include "connectors/postgres/session.hpp"
#include "model/catalog.hpp"
#include "parser/query.hpp"

namespace advisor {

//! One statement of the workload that parsed, names known tables and could be planned.
struct AdvisedQuery {
  WorkloadStatement statement;
  parser::QueryInfo info;
  PlannedStatement planned;
  std::vector<std::string> tables;  //!< "schema.table" as resolved by the catalog
  std::vector<model::Finding> findings;
  std::size_t report_index = 0;     //!< into WorkloadReport::queries
};

//! Adds create_index recommendations, rejected candidates (with their numbers), notes, the
//! workload totals and per-query costs to `report`. `window_seconds`: how long the
//! pg_stat_statements figures cover, for ms saved per day (0: unknown).
void choose_workload_indexes(connectors::pg::Session& session, const std::vector<AdvisedQuery>& queries,
                             const model::Catalog& catalog, const WorkloadSettings& settings, double window_seconds,
                             WorkloadReport& report);

}  // namespace advisor
