#include "connectors/postgres/generic_plan.hpp"

#include <atomic>
#include <optional>

#include <pqxx/pqxx>

namespace connectors::pg {

namespace {

std::string explain_prefix(bool analyze)
{
  // VERBOSE for the "Schema" of every relation: findings must name tables unambiguously.
  return analyze ? "EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) " : "EXPLAIN (VERBOSE, FORMAT JSON) ";
}

//! EXPLAIN inside one read-only transaction; `prepared` is set as soon as a PREPARE succeeded,
//! because a prepared statement outlives the rollback and must be deallocated by the caller.
std::string explain_in_transaction(Session& session, const ExplainCall& call,
                                   std::optional<std::string>& prepared)
{
  const auto& settings = session.settings();
  pqxx::read_transaction txn(session.conn());
  txn.exec0("SET LOCAL statement_timeout = " + std::to_string(settings.statement_timeout_ms));
  txn.exec0("SET LOCAL lock_timeout = " + std::to_string(settings.lock_timeout_ms));
  std::string json;
  if (call.generic) {
    const auto name = next_prepared_statement_name();
    // exec_params uses the extended protocol, which refuses a second statement outright.
    txn.exec_params("PREPARE " + name + " AS " + call.statement);
    prepared = name;
    txn.exec0("SET LOCAL plan_cache_mode = force_generic_plan");
    const auto count = txn.exec_params1(
                              "SELECT coalesce(cardinality(parameter_types), 0) "
                              "FROM pg_catalog.pg_prepared_statements WHERE name = $1",
                              name)[0]
                           .as<int>();
    std::string args;
    for (int i = 0; i < count; ++i)
      args += i == 0 ? "NULL" : ", NULL";
    const auto execute = "EXECUTE " + name + (count > 0 ? "(" + args + ")" : std::string());
    json = txn.exec1(explain_prefix(false) + execute)[0].c_str();
  } else {
    json = txn.exec_params1(explain_prefix(call.analyze) + call.statement)[0].c_str();
  }
  txn.abort();
  return json;
}

void deallocate(Session& session, const std::string& name)
{
  try {
    pqxx::nontransaction txn(session.conn());
    txn.exec0("DEALLOCATE " + name);
  } catch (const std::exception&) {
    // The connection is gone or the statement never existed: nothing left to clean up.
  }
}

}  // namespace

std::string next_prepared_statement_name()
{
  static std::atomic<unsigned long> counter{0};
  return "pgadvisor_stmt_" + std::to_string(++counter);
}

model::Result<std::string> run_explain(Session& session, const ExplainCall& call)
{
  if (call.analyze && call.generic)
    return model::make_error(model::ErrorKind::refused,
                             "EXPLAIN ANALYZE needs parameter values; a generic plan has none");
  const ErrorContext context{session.settings().statement_timeout_ms, session.settings().lock_timeout_ms,
                             call.relations};
  std::optional<std::string> prepared;
  model::Result<std::string> result = std::string();
  try {
    result = explain_in_transaction(session, call, prepared);
  } catch (...) {
    result = current_exception_to_error(session, context);
  }
  if (prepared)
    deallocate(session, *prepared);
  return result;
}

}  // namespace connectors::pg
