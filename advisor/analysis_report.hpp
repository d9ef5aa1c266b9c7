#pragma once
// Everything one analysis found, ready for the text and JSON renderers.

#include <optional>
#include <string>
#include <vector>

#include "model/catalog.hpp"
#include "model/finding.hpp"
#include "model/plan.hpp"
#include "model/recommendation.hpp"
#include "parser/query.hpp"

namespace advisor {

struct AnalysisReport {
  std::string target;  //!< database name (never the conninfo: it may hold a password)
  std::optional<parser::QueryInfo> query;  //!< absent for a plan analysed without its SQL
  std::optional<model::Plan> plan;
  bool generic_plan = false;  //!< planned with $n parameters, no values
  std::string generated_at;
  std::vector<model::Finding> findings;
  std::vector<model::Recommendation> recommendations;  //!< ranked
  std::vector<model::RejectedCandidate> rejected;
  std::vector<std::string> notes;  //!< what the analysis could not do, and why
  //! The tables the statement reads, as the analysis read them from the catalog (with their
  //! pg_stat_user_tables activity; columns cleared): the daemon's hypotheses use them.
  std::vector<model::TableInfo> tables;
};

}  // namespace advisor
