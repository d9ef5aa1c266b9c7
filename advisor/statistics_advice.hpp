#pragma once
// `analyze` recommendations: a table whose statistics are stale (the stale_statistics rule's
// finding) gets "ANALYZE schema.table;", the cheapest fix there is and the one L1 may apply.

#include <optional>
#include <string>
#include <vector>

#include "model/finding.hpp"
#include "model/recommendation.hpp"

namespace advisor {

//! One recommendation per table a stale_statistics finding names. The improvement is an upper
//! bound (the share of the query's time spent on nodes of that table: fresh estimates can at
//! best fix those), hence the modest confidence. `query` is the statement it is for.
std::vector<model::Recommendation> analyze_recommendations(const std::string& target, const model::QueryRef& query,
                                                           const std::vector<model::Finding>& findings);

//! The schema and table of an "ANALYZE schema.table;" statement (quoting kept as written, so
//! it can be put back in SQL); nullopt for anything else.
std::optional<std::pair<std::string, std::string>> analyzed_table(const std::string& statement);

}  // namespace advisor
