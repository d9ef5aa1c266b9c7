#pragma once
// EXPLAIN for one user statement, with the safety rules the advisor promises: one statement
// only (checked by the parser before anything is sent), ANALYZE only for a read-only SELECT,
// always inside BEGIN READ ONLY … ROLLBACK with statement_timeout and lock_timeout.

#include <string>

#include "connectors/postgres/session.hpp"
#include "model/plan.hpp"
#include "model/result.hpp"

namespace connectors::pg {

struct ExplainRequest {
  std::string sql;
  bool allow_analyze = true;
};

struct ExplainResult {
  model::Plan plan;
  bool analyzed = false;
  bool generic_plan = false;  //!< planned with force_generic_plan for $n placeholders
  std::string note;           //!< why ANALYZE was not used, e.g. "UPDATE: explained without ANALYZE"
};

//! Explains `request.sql`. Errors: the parser's invalid_input; refused for several statements
//! ("pgadvisor explains one statement at a time; got 2") or a utility statement, with nothing
//! sent to the server; server for statement_timeout, lock_timeout and a write attempted inside
//! the read-only transaction; not_found for an unknown relation; unreachable when the
//! connection is lost. After any outcome no transaction and no prepared statement remain open.
model::Result<ExplainResult> explain(Session& session, const ExplainRequest& request);

}  // namespace connectors::pg
