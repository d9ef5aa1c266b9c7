#pragma once
// Findings that carry a mechanical rewrite (Finding::rewritten_sql) become recommendations of
// kind `rewrite`, costed by planning the rewritten statement, so they rank with index advice.
// Also: existing-index advice (heuristics::review_existing_indexes) as drop_index
// recommendations.

#include <string>
#include <vector>

#include "connectors/postgres/session.hpp"
#include "heuristics/existing_indexes.hpp"
#include "model/finding.hpp"
#include "model/recommendation.hpp"

namespace advisor {

struct RewriteSource {
  model::QueryRef query;
  std::string planned_sql;  //!< the statement as planned (its cost is `cost_before`)
  double cost_before = 0;   //!< plan cost of one call
  std::vector<model::Finding> findings;
};

//! One recommendation per distinct rewritten statement. The rewritten SQL is planned (plain
//! EXPLAIN, never executed); when it cannot be, the recommendation is still made with the
//! reason and a lower confidence. Score: calls × cost saved × confidence.
std::vector<model::Recommendation> rewrite_recommendations(connectors::pg::Session& session,
                                                           const std::string& target,
                                                           const std::vector<RewriteSource>& sources,
                                                           std::vector<std::string>& notes);

//! drop_index recommendations; `index_write_cost` prices one written row per index, for the
//! score (the maintenance a drop saves).
std::vector<model::Recommendation> existing_index_recommendations(const std::string& target,
                                                                  const std::vector<heuristics::ExistingIndexAdvice>& advice,
                                                                  double index_write_cost);

}  // namespace advisor
