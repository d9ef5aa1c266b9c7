#pragma once
// Getting a plan for each workload statement: the real text when there is one; for
// pg_stat_statements' normalised text, `type $n` rewritten into casts, then $n filled with
// representative values from pg_stats for the compared columns, else a generic plan; and when
// nothing plans, the reason.

#include <string>
#include <vector>

#include "advisor/workload_file.hpp"
#include "advisor/workload_report.hpp"
#include "connectors/postgres/explain_runner.hpp"
#include "connectors/postgres/session.hpp"
#include "model/catalog.hpp"
#include "model/result.hpp"
#include "parser/query.hpp"

namespace advisor {

struct PlannedStatement {
  std::string sql;  //!< what was planned (and what what-if costs are taken for)
  PlanSource source = PlanSource::literal;
  std::vector<std::string> notes;
  connectors::pg::ExplainResult explained;
};

//! The text to parse for a statement: normalised text made plannable (parser/normalized_text),
//! else the statement itself. `notes` receives the rewrites made.
std::string plannable_text(const WorkloadStatement& statement, std::vector<std::string>& notes);

//! Plans `sql` (already made plannable; `shape` is its shape) with plain EXPLAIN, never
//! executing it. Errors: invalid_input "unexplainable: <server message>" with what was tried.
model::Result<PlannedStatement> plan_statement(connectors::pg::Session& session, const std::string& sql,
                                               const parser::QueryShape& shape, const model::Catalog& catalog);

}  // namespace advisor
