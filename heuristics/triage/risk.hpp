#pragma once
// Risk class of applying a recommendation: low (ANALYZE of a table with stale statistics; a
// new b-tree index built CONCURRENTLY on a table under the size cap with a modest write rate),
// medium (large or wide indexes, GIN and other non-b-tree methods), high (DROP INDEX,
// rewrites, configuration changes, anything that blocks writes). Pure.

#include <cstdint>
#include <string>

#include "model/recommendation.hpp"

namespace heuristics::triage {

enum class Risk { low, medium, high };

const char* to_string(Risk risk);

//! What the risk depends on; fields that do not apply to the kind are ignored.
struct RiskInputs {
  model::RecommendationKind kind = model::RecommendationKind::create_index;
  // create_index
  std::string index_method = "btree";
  bool concurrently = true;
  int key_columns = 1;            //!< key columns plus INCLUDE columns
  std::int64_t index_bytes = 0;   //!< estimated size (hypopg_relation_size); 0: unknown
  std::int64_t table_bytes = 0;   //!< pg_table_size of the indexed table; 0: unknown
  double table_writes_per_second = 0;
  // analyze
  bool statistics_stale = false;  //!< the table's statistics are stale (see hypotheses)
};

struct RiskLimits {
  std::int64_t max_table_bytes = 10LL << 30;  //!< "under a size cap": larger tables are medium
  std::int64_t max_index_bytes = 1LL << 30;   //!< larger indexes are medium
  int max_key_columns = 3;                    //!< wider indexes are medium
  double max_writes_per_second = 200;         //!< "a modest write rate"
};

struct RiskAssessment {
  Risk risk = Risk::high;
  std::string reason;  //!< one line: why this class
};

RiskAssessment assess_risk(const RiskInputs& inputs, const RiskLimits& limits = {});

}  // namespace heuristics::triage
