#pragma once
// From a query's shape to validated index recommendations: candidates, coverage by existing
// indexes, HypoPG what-if costs, selection.

#include <string>
#include <vector>

#include "advisor/analysis_settings.hpp"
#include "connectors/postgres/session.hpp"
#include "heuristics/index_candidates.hpp"
#include "model/catalog.hpp"
#include "model/finding.hpp"
#include "model/plan.hpp"
#include "model/recommendation.hpp"
#include "parser/query.hpp"

namespace advisor {

struct IndexAdvice {
  std::vector<model::Recommendation> recommendations;
  std::vector<model::RejectedCandidate> rejected;
  std::vector<std::string> notes;
};

//! Why a covering candidate (INCLUDE) is not worth it: an existing index already serves its
//! keys. nullopt for other candidates or when no existing index serves the keys.
std::optional<std::string> keys_already_served(const heuristics::IndexCandidate& candidate, const model::TableInfo& table);

//! Index advice for one statement. `observed_ms` is the query's measured execution time when
//! known (EXPLAIN ANALYZE), used for the score; `plan` (may be null) estimates what HypoPG
//! cannot simulate (GIN). Never creates anything on the server: what-if
//! indexes live only in this session and are reset after each evaluation.
IndexAdvice advise_indexes(connectors::pg::Session& session, const std::string& target,
                           const std::string& sql, const parser::QueryInfo& query,
                           const model::Catalog& catalog, const std::vector<model::Finding>& findings,
                           const model::Plan* plan, std::optional<double> observed_ms,
                           const AnalysisSettings& settings);

}  // namespace advisor
