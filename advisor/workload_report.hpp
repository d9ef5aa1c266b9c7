#pragma once
// Everything a workload analysis found, ready for the text and JSON renderers.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "advisor/workload_file.hpp"
#include "model/finding.hpp"
#include "model/recommendation.hpp"

namespace advisor {

//! How a query's plan was obtained.
enum class PlanSource {
  literal,          //!< the statement's own text (a workload file, or no placeholders)
  sampled_values,   //!< $n filled with representative values from pg_stats
  partly_sampled,   //!< some $n from pg_stats, the others left to a generic plan
  generic,          //!< PREPARE + force_generic_plan: no values at all
};

const char* to_string(PlanSource source);

struct WorkloadQuery {
  std::string fingerprint;
  std::string normalized;
  std::string planned_sql;  //!< the text that was planned (rewritten, values filled)
  double calls = 1;
  int line = 0;
  std::optional<double> mean_ms;
  PlanSource plan_source = PlanSource::literal;
  std::vector<std::string> planning_notes;  //!< rewrites made, values used, what was missing
  std::optional<double> cost_before;        //!< no new index
  std::optional<double> cost_after;         //!< every recommended index present
  std::vector<model::Finding> findings;
};

struct WorkloadReport {
  std::string target;
  std::string generated_at;
  std::string source;  //!< "workload file FILE" or "pg_stat_statements"
  std::vector<WorkloadQuery> queries;
  std::vector<SkippedStatement> skipped;  //!< not advised, with line and reason
  std::vector<model::Recommendation> recommendations;  //!< ranked
  std::vector<model::RejectedCandidate> rejected;      //!< every dropped candidate, with numbers
  std::vector<std::string> notes;
  bool validated = false;  //!< HypoPG was available
  double total_cost_before = 0;  //!< Σ calls × cost, no new index
  double total_cost_after = 0;   //!< Σ calls × cost, the recommended indexes present
  std::int64_t budget_bytes = 0;
  std::int64_t recommended_bytes = 0;
  std::size_t what_if_calls = 0;
  std::size_t candidates_considered = 0;
  double elapsed_ms = 0;
};

}  // namespace advisor
