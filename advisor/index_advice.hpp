#pragma once
// From a query's shape to validated index recommendations: candidates, coverage by existing
// indexes, HypoPG what-if costs, selection.

#include <string>
#include <vector>

#include "advisor/analysis_settings.hpp"
#include "connectors/postgres/session.hpp"
#include "model/catalog.hpp"
#include "model/finding.hpp"
#include "model/recommendation.hpp"
#include "parser/query.hpp"

namespace advisor {

struct IndexAdvice {
  std::vector<model::Recommendation> recommendations;
  std::vector<model::RejectedCandidate> rejected;
  std::vector<std::string> notes;
};

//! Index advice for one statement. `observed_ms` is the query's measured execution time when
//! known (EXPLAIN ANALYZE), used for the score. Never creates anything on the server: what-if
//! indexes live only in this session and are reset after each evaluation.
IndexAdvice advise_indexes(connectors::pg::Session& session, const std::string& target,
                           const std::string& sql, const parser::QueryInfo& query,
                           const model::Catalog& catalog, const std::vector<model::Finding>& findings,
                           std::optional<double> observed_ms, const AnalysisSettings& settings);

}  // namespace advisor
