#pragma once

#include "connectors/postgres/session.hpp"
#include "heuristics/index_selection.hpp"
#include "heuristics/rule_registry.hpp"

namespace advisor {

//! What one analysis may do and what it counts as worth recommending.
struct AnalysisSettings {
  connectors::pg::SessionSettings session;
  bool explain_analyze = true;  //!< off: plans without executing (EXPLAIN only)
  heuristics::RuleSettings rules;
  heuristics::SelectionSettings selection;
};

}  // namespace advisor
