#include "connectors/postgres/index_applier.hpp"

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "connectors/postgres/server_error.hpp"
#include "parser/query.hpp"

namespace connectors::pg {

namespace {

using Clock = std::chrono::steady_clock;

//! The IndexStmt of a one-statement parse, or null.
const nlohmann::json* index_stmt(const parser::ParsedQuery& parsed)
{
  const auto& stmts = parsed.tree.at("stmts");
  if (stmts.size() != 1)
    return nullptr;
  if (!stmts[0].contains("stmt"))
    return nullptr;
  const auto& stmt = stmts[0].at("stmt");
  const auto it = stmt.find("IndexStmt");
  return it == stmt.end() ? nullptr : &*it;
}

//! A copy without "location" keys anywhere: they differ between two texts of the same tree.
nlohmann::json without_locations(const nlohmann::json& node)
{
  if (node.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = node.begin(); it != node.end(); ++it)
      if (it.key() != "location")
        out[it.key()] = without_locations(it.value());
    return out;
  }
  if (node.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node)
      out.push_back(without_locations(item));
    return out;
  }
  return node;
}

std::string method_of(const nlohmann::json& stmt)
{
  return stmt.value("accessMethod", std::string("btree"));
}

std::string literal(pqxx::connection& conn, const std::string& text)
{
  return std::string("'") + conn.esc(text) + "'";
}

void add(ApplyOutcome& outcome, std::string kind, std::string message)
{
  outcome.events.push_back(ApplyEvent{std::move(kind), std::move(message)});
}

//! The state of the index called `qualified` (quoted): not there, valid, or invalid.
enum class IndexState { absent, valid, invalid };

IndexState index_state(pqxx::connection& conn, const std::string& qualified)
{
  pqxx::nontransaction txn(conn);
  const auto row = txn.exec1("SELECT (SELECT indisvalid AND indisready FROM pg_index WHERE indexrelid = to_regclass(" +
                             literal(conn, qualified) + "))");
  if (row[0].is_null())
    return IndexState::absent;
  return row[0].as<bool>() ? IndexState::valid : IndexState::invalid;
}

//! DROP INDEX CONCURRENTLY IF EXISTS, retried with backoff: it waits for the same lockers the
//! failed build waited for, so it can time out the same way until they finish.
bool drop_invalid(Session& session, const std::string& qualified, const ApplyOptions& options, ApplyOutcome& outcome)
{
  int backoff = options.cleanup_backoff_ms;
  for (int attempt = 1; attempt <= options.cleanup_attempts; ++attempt) {
    try {
      pqxx::nontransaction txn(session.conn());
      txn.exec0("DROP INDEX CONCURRENTLY IF EXISTS " + qualified);
      add(outcome, "apply.cleaned_up", "dropped the INVALID index " + qualified + " the failed build left");
      return true;
    } catch (const pqxx::broken_connection&) {
      throw;
    } catch (const std::exception& e) {
      add(outcome, "apply.cleanup_retry",
          "DROP INDEX CONCURRENTLY " + qualified + " failed (try " + std::to_string(attempt) + "): " +
              session.scrub(server_message(e.what())));
    }
    if (attempt < options.cleanup_attempts) {
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
      backoff *= 2;
    }
  }
  add(outcome, "apply.cleanup_failed",
      "the INVALID index " + qualified + " remains; the next apply of it drops it first");
  return false;
}

void set_limits(pqxx::connection& conn, int lock_timeout_ms, int statement_timeout_ms)
{
  pqxx::nontransaction txn(conn);
  txn.exec0("SET lock_timeout = " + std::to_string(lock_timeout_ms) +
            "; SET statement_timeout = " + std::to_string(statement_timeout_ms));
}

//! Valid indexes' definitions on the table, to look for an equivalent one.
std::vector<std::string> valid_indexdefs(pqxx::connection& conn, const std::string& table_oid)
{
  pqxx::nontransaction txn(conn);
  std::vector<std::string> out;
  for (const auto& row : txn.exec("SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = " + table_oid +
                                  " AND indisvalid AND indisready"))
    out.push_back(row[0].as<std::string>());
  return out;
}

struct Target {
  std::string table_oid;
  std::string schema;
  std::string qualified_index;
  std::string database;
};

//! Resolves the table (and so the index's schema) on the server; not_found when it is missing.
model::Result<Target> resolve(Session& session, const IndexStatement& statement)
{
  auto& conn = session.conn();
  const std::string table = statement.schema.empty()
                                ? conn.quote_name(statement.table)
                                : conn.quote_name(statement.schema) + "." + conn.quote_name(statement.table);
  pqxx::nontransaction txn(conn);
  const auto rows = txn.exec("SELECT c.oid::text, n.nspname, current_database() FROM pg_class c JOIN pg_namespace n "
                             "ON n.oid = c.relnamespace WHERE c.oid = to_regclass(" + literal(conn, table) + ")");
  if (rows.empty())
    return model::make_error(model::ErrorKind::not_found, "table " + table + " does not exist",
                             "the recommendation is stale: the table was dropped or renamed");
  Target target;
  target.table_oid = rows[0][0].as<std::string>();
  target.schema = rows[0][1].as<std::string>();
  target.database = rows[0][2].as<std::string>();
  target.qualified_index = conn.quote_name(target.schema) + "." + conn.quote_name(statement.name);
  return target;
}

//! Runs the build under the advisory lock; the caller takes and releases the lock.
ApplyOutcome build_locked(Session& session, const std::string& ddl, const Target& target,
                          const ApplyOptions& options, ApplyOutcome outcome)
{
  auto& conn = session.conn();
  const std::string& index = target.qualified_index;
  const IndexState state = index_state(conn, index);
  if (state == IndexState::invalid) {
    add(outcome, "apply.leftover", index + " exists but is INVALID (an earlier build failed): dropping it first");
    if (!drop_invalid(session, index, options, outcome)) {
      outcome.status = ApplyStatus::failed_dirty;
      return outcome;
    }
  }
  for (const auto& def : valid_indexdefs(conn, target.table_oid)) {
    if (equivalent_index(ddl, def)) {
      add(outcome, "apply.exists", "an equivalent valid index exists: " + def + "; nothing built");
      outcome.status = ApplyStatus::already_exists;
      return outcome;
    }
  }
  if (state == IndexState::valid) {
    outcome.status = ApplyStatus::failed;
    outcome.error = "an index named " + index + " exists with another definition";
    add(outcome, "apply.name_taken", outcome.error + "; nothing built");
    return outcome;
  }

  add(outcome, "apply.build_started", "CREATE INDEX CONCURRENTLY " + index + " (lock_timeout " +
                                          std::to_string(options.lock_timeout_ms) + " ms)");
  const auto started = Clock::now();
  try {
    set_limits(conn, options.lock_timeout_ms, options.build_timeout_ms);
    pqxx::nontransaction txn(conn);  // autocommit: CONCURRENTLY refuses a transaction block
    txn.exec0(ddl);
  } catch (const pqxx::broken_connection&) {
    throw;
  } catch (const std::exception& e) {
    outcome.build_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    outcome.error = session.scrub(server_message(e.what()));
    add(outcome, "apply.build_failed", index + ": " + outcome.error);
    const bool clean = index_state(conn, index) == IndexState::absent || drop_invalid(session, index, options, outcome);
    outcome.status = clean ? ApplyStatus::failed : ApplyStatus::failed_dirty;
    return outcome;
  }
  outcome.build_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  if (index_state(conn, index) != IndexState::valid) {
    outcome.error = "the build finished but " + index + " is not valid";
    add(outcome, "apply.build_failed", outcome.error);
    outcome.status = drop_invalid(session, index, options, outcome) ? ApplyStatus::failed : ApplyStatus::failed_dirty;
    return outcome;
  }
  add(outcome, "apply.created", index + " built and valid in " + std::to_string(static_cast<long long>(outcome.build_ms)) + " ms");
  outcome.status = ApplyStatus::created;
  return outcome;
}

void restore_limits(Session& session)
{
  set_limits(session.conn(), session.settings().lock_timeout_ms, session.settings().statement_timeout_ms);
}

}  // namespace

const char* to_string(ApplyStatus status)
{
  switch (status) {
    case ApplyStatus::created: return "created";
    case ApplyStatus::already_exists: return "already_exists";
    case ApplyStatus::busy: return "busy";
    case ApplyStatus::failed: return "failed";
    case ApplyStatus::failed_dirty: return "failed_dirty";
  }
  return "failed";
}

model::Result<IndexStatement> read_index_statement(const std::string& ddl)
{
  auto parsed = parser::parse(ddl);
  if (!parsed)
    return parsed.error();
  const nlohmann::json* stmt = index_stmt(*parsed);
  if (stmt == nullptr)
    return model::make_error(model::ErrorKind::invalid_input, "not one CREATE INDEX statement: " + ddl);
  IndexStatement out;
  out.name = stmt->value("idxname", std::string());
  const auto relation = stmt->value("relation", nlohmann::json::object());
  out.schema = relation.value("schemaname", std::string());
  out.table = relation.value("relname", std::string());
  out.unique = stmt->value("unique", false);
  out.concurrently = stmt->value("concurrent", false);
  out.method = method_of(*stmt);
  for (const char* key : {"indexParams", "indexIncludingParams"})
    if (stmt->contains(key) && stmt->at(key).is_array())
      out.columns += static_cast<int>(stmt->at(key).size());
  out.partial = stmt->contains("whereClause");
  if (out.name.empty())
    return model::make_error(model::ErrorKind::refused, "CREATE INDEX without a name: " + ddl,
                             "a name is needed to find and drop what a failed build leaves");
  if (!out.concurrently)
    return model::make_error(model::ErrorKind::refused, "CREATE INDEX without CONCURRENTLY: " + ddl,
                             "auto-apply never blocks writes to a table");
  return out;
}

bool equivalent_index(const std::string& wanted_ddl, const std::string& existing_indexdef)
{
  const auto wanted = parser::parse(wanted_ddl);
  const auto existing = parser::parse(existing_indexdef);
  if (!wanted || !existing)
    return false;
  const nlohmann::json* a = index_stmt(*wanted);
  const nlohmann::json* b = index_stmt(*existing);
  if (a == nullptr || b == nullptr)
    return false;
  if (method_of(*a) != method_of(*b))
    return false;
  if (a->value("unique", false) && !b->value("unique", false))
    return false;
  for (const char* key : {"indexParams", "indexIncludingParams", "whereClause"}) {
    const auto none = nlohmann::json();
    const auto left = a->contains(key) ? without_locations(a->at(key)) : none;
    const auto right = b->contains(key) ? without_locations(b->at(key)) : none;
    if (left != right)
      return false;
  }
  return true;
}

std::int64_t advisory_key(const std::string& database, const std::string& qualified_index)
{
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : "pgadvisor.create_index:" + database + ":" + qualified_index) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return static_cast<std::int64_t>(hash);
}

model::Result<ApplyOutcome> apply_index(Session& session, const std::string& ddl, const ApplyOptions& options)
{
  auto statement = read_index_statement(ddl);
  if (!statement)
    return statement.error();
  try {
    auto target = resolve(session, *statement);
    if (!target)
      return target.error();
    ApplyOutcome outcome;
    outcome.index = target->qualified_index;
    const std::string key = std::to_string(advisory_key(target->database, target->qualified_index));
    bool locked = false;
    {
      pqxx::nontransaction txn(session.conn());
      locked = txn.exec1("SELECT pg_try_advisory_lock(" + key + ")")[0].as<bool>();
    }
    if (!locked) {
      add(outcome, "apply.busy", "another pgadvisor is building " + outcome.index + ": left to it");
      outcome.status = ApplyStatus::busy;
      return outcome;
    }
    add(outcome, "apply.locked", "advisory lock " + key + " taken for " + outcome.index);
    try {
      outcome = build_locked(session, ddl, *target, options, std::move(outcome));
    } catch (...) {
      // Release before leaving; on a broken connection the server released it already.
      try {
        restore_limits(session);
        pqxx::nontransaction txn(session.conn());
        txn.exec1("SELECT pg_advisory_unlock(" + key + ")");
      } catch (const std::exception&) {
      }
      throw;
    }
    restore_limits(session);
    pqxx::nontransaction txn(session.conn());
    txn.exec1("SELECT pg_advisory_unlock(" + key + ")");
    add(outcome, "apply.unlocked", "advisory lock " + key + " released");
    return outcome;
  } catch (const std::exception&) {
    return current_exception_to_error(session, ErrorContext{options.build_timeout_ms, options.lock_timeout_ms, ""});
  }
}

model::Result<ApplyOutcome> apply_analyze(Session& session, const std::string& schema, const std::string& table,
                                          const ApplyOptions& options)
{
  ApplyOutcome outcome;
  try {
    auto& conn = session.conn();
    outcome.index = conn.quote_name(schema) + "." + conn.quote_name(table);
    add(outcome, "apply.analyze_started", "ANALYZE " + outcome.index);
    const auto started = Clock::now();
    try {
      set_limits(conn, options.lock_timeout_ms, options.build_timeout_ms);
      pqxx::nontransaction txn(conn);
      txn.exec0("ANALYZE " + outcome.index);
      outcome.status = ApplyStatus::created;
      add(outcome, "apply.analyzed", "ANALYZE " + outcome.index + " done");
    } catch (const pqxx::broken_connection&) {
      throw;
    } catch (const std::exception& e) {
      outcome.status = ApplyStatus::failed;
      outcome.error = session.scrub(server_message(e.what()));
      add(outcome, "apply.analyze_failed", "ANALYZE " + outcome.index + ": " + outcome.error);
    }
    outcome.build_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    restore_limits(session);
    return outcome;
  } catch (const std::exception&) {
    return current_exception_to_error(session, ErrorContext{options.build_timeout_ms, options.lock_timeout_ms, ""});
  }
}

}  // namespace connectors::pg
