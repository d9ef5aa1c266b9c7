#pragma once
// L1 auto-apply on a target: builds a recommended index with CREATE INDEX CONCURRENTLY, safely.
// Takes a session-level pg_try_advisory_lock keyed by the database and the index's qualified
// name (so two daemons on the same database never build it twice), re-checks that no
// equivalent valid index exists, builds outside any transaction under lock_timeout, and on
// failure or cancel drops the INVALID index the build left (DROP INDEX CONCURRENTLY IF EXISTS).
// Every step is returned as an event for the store and the webhook. Whether to call this at
// all is heuristics::triage::decide()'s answer, not this module's.

#include <cstdint>
#include <string>
#include <vector>

#include "connectors/postgres/session.hpp"
#include "model/result.hpp"

namespace connectors::pg {

struct ApplyOptions {
  int lock_timeout_ms = 2000;        //!< for the build's lock waits; a conflicting lock cancels it
  int build_timeout_ms = 3600000;    //!< statement_timeout of the build (0: none)
  int cleanup_attempts = 6;          //!< DROP INDEX CONCURRENTLY tries after a failed build
  int cleanup_backoff_ms = 500;      //!< wait before the 2nd try, doubled after each
};

//! One step, for the store's events table and a webhook delivery.
struct ApplyEvent {
  std::string kind;     //!< "apply.locked", "apply.build_started", "apply.cleaned_up"…
  std::string message;  //!< one line, naming the index
};

enum class ApplyStatus {
  created,         //!< built and valid
  already_exists,  //!< an equivalent valid index exists: nothing built
  busy,            //!< another applier holds the lock for this index: it builds, not us
  failed,          //!< the build failed or was cancelled; the INVALID index was dropped
  failed_dirty,    //!< as failed, but the INVALID index could not be dropped (named in events)
};

const char* to_string(ApplyStatus status);

struct ApplyOutcome {
  ApplyStatus status = ApplyStatus::failed;
  std::string index;  //!< schema-qualified name, as quoted for SQL
  std::vector<ApplyEvent> events;
  std::string error;  //!< the server's message when the build failed
  double build_ms = 0;
};

//! What a CREATE INDEX statement names, read from its parse tree.
struct IndexStatement {
  std::string schema;  //!< empty: resolved on the server from the table
  std::string table;
  std::string name;
  bool unique = false;
  bool concurrently = false;
  std::string method = "btree";  //!< access method (USING …)
  int columns = 0;               //!< key columns and expressions plus INCLUDE columns
  bool partial = false;          //!< has a WHERE predicate
};

//! Parses `ddl` (one CREATE INDEX). Errors: invalid_input for bad SQL or another statement;
//! refused when it has no index name or lacks CONCURRENTLY (L1 never blocks writes).
model::Result<IndexStatement> read_index_statement(const std::string& ddl);

//! True when the two CREATE INDEX statements index the same columns/expressions with the same
//! method, INCLUDE list and predicate, and `existing` is unique whenever `wanted` is (names,
//! schema, CONCURRENTLY, IF NOT EXISTS, spacing and quoting ignored). Expressions and
//! predicates compare as parse trees, so pg_get_indexdef's added casts/parentheses can make an
//! equivalent index look different (then a second one is built: never a wrong skip).
bool equivalent_index(const std::string& wanted_ddl, const std::string& existing_indexdef);

//! 64-bit advisory lock key for an index: FNV-1a of "pgadvisor.create_index:<db>:<schema.name>".
std::int64_t advisory_key(const std::string& database, const std::string& qualified_index);

//! Builds the index of `ddl` (a CREATE INDEX CONCURRENTLY with a name) on the session's database.
//! The session must have no open transaction. Build failures are outcomes (failed /
//! failed_dirty, with events); errors are a bad statement (invalid_input/refused), a missing
//! table (not_found) or a lost connection (unreachable). Always releases its advisory lock.
model::Result<ApplyOutcome> apply_index(Session& session, const std::string& ddl, const ApplyOptions& options = {});

//! ANALYZE of one table ("schema.table", quoted as needed) under lock_timeout; events as above.
model::Result<ApplyOutcome> apply_analyze(Session& session, const std::string& schema, const std::string& table,
                                          const ApplyOptions& options = {});

}  // namespace connectors::pg
