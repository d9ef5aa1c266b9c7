#pragma once
// Running one EXPLAIN safely, shared by the explain runner and the HypoPG session: always inside
// BEGIN READ ONLY … ROLLBACK with the session's timeouts set LOCAL, and for statements with $n
// placeholders as a generic plan (PREPARE, plan_cache_mode = force_generic_plan,
// EXPLAIN EXECUTE … (NULL, …), DEALLOCATE whatever happens).

#include <string>

#include "connectors/postgres/server_error.hpp"
#include "connectors/postgres/session.hpp"
#include "model/result.hpp"

namespace connectors::pg {

struct ExplainCall {
  std::string statement;      //!< exactly one statement, already checked (check_statement)
  bool analyze = false;       //!< EXPLAIN (ANALYZE, BUFFERS): only for read-only SELECTs
  bool generic = false;       //!< the statement has $n: PREPARE + EXPLAIN EXECUTE
  std::string relations;      //!< for the lock_timeout message
};

//! The EXPLAIN (FORMAT JSON) document for the call. The transaction is always rolled back and
//! the prepared statement always deallocated, so the session is idle and clean afterwards.
//! Errors as current_exception_to_error() maps them; analyze with generic is refused.
model::Result<std::string> run_explain(Session& session, const ExplainCall& call);

//! A fresh, process-wide unique name "pgadvisor_stmt_N" for a prepared statement.
std::string next_prepared_statement_name();

}  // namespace connectors::pg
