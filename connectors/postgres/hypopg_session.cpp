#include "connectors/postgres/hypopg_session.hpp"

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "connectors/postgres/generic_plan.hpp"
#include "connectors/postgres/statement_check.hpp"
#include "parser/query.hpp"

namespace connectors::pg {

namespace {

struct PlanFacts {
  double total_cost = 0;
  std::vector<std::string> index_names;
};

void collect_index_names(const nlohmann::json& node, std::vector<std::string>& out)
{
  if (const auto it = node.find("Index Name"); it != node.end() && it->is_string())
    out.push_back(it->get<std::string>());
  if (const auto it = node.find("Plans"); it != node.end() && it->is_array())
    for (const auto& child : *it)
      collect_index_names(child, out);
}

model::Result<PlanFacts> plan_facts(const std::string& json)
{
  const auto doc = nlohmann::json::parse(json, nullptr, false);
  const auto* top = &doc;
  if (doc.is_array() && !doc.empty())
    top = &doc[0];
  if (!top->is_object() || !top->contains("Plan") || !(*top)["Plan"].contains("Total Cost"))
    return model::make_error(model::ErrorKind::internal, "EXPLAIN returned no plan cost");
  PlanFacts facts;
  facts.total_cost = (*top)["Plan"]["Total Cost"].get<double>();
  collect_index_names((*top)["Plan"], facts.index_names);
  return facts;
}

//! Only one CREATE INDEX per element: hypopg_create_index would run whatever else it got.
model::Result<std::string> checked_index_statement(const std::string& statement)
{
  auto parsed = parser::parse(statement);
  if (!parsed)
    return parsed.error();
  const auto& stmts = parsed->tree["stmts"];
  const bool single_index = parsed->statement_count == 1 && stmts.is_array() && stmts.size() == 1 &&
                            stmts[0].contains("stmt") && stmts[0]["stmt"].contains("IndexStmt");
  if (!single_index)
    return model::make_error(model::ErrorKind::refused,
                             "a what-if index must be exactly one CREATE INDEX statement");
  return strip_concurrently(statement);
}

constexpr const char* install_hypopg_hint = "CREATE EXTENSION hypopg (pgadvisor never creates it)";

//! The refusal every call gives when the hypopg extension is missing from `database`; `hint`
//! may be empty.
model::Error hypopg_missing(const std::string& database, std::string hint)
{
  return model::make_error(model::ErrorKind::refused,
                           "the hypopg extension is not installed in database \"" + database + "\"",
                           std::move(hint));
}

//! What both what-if paths need before anything is sent: the checked CREATE INDEX statements
//! and the EXPLAIN call for `sql`.
struct WhatIfInput {
  std::vector<std::string> index_statements;  //!< one checked CREATE INDEX each, as given, in order
  ExplainCall call;                           //!< plain EXPLAIN of `sql`; generic when it has $n
};

//! Checks every element of `create_index_statements` (checked_index_statement), then `sql`
//! (check_statement), and returns the first error in that order; nothing touches the server.
model::Result<WhatIfInput> checked_what_if_input(const std::string& sql,
                                                 const std::vector<std::string>& create_index_statements)
{
  WhatIfInput input;
  for (const auto& statement : create_index_statements) {
    auto checked = checked_index_statement(statement);
    if (!checked)
      return checked.error();
    input.index_statements.push_back(std::move(checked.value()));
  }
  auto checked = check_statement(sql);
  if (!checked)
    return checked.error();
  input.call.statement = checked->text;
  input.call.generic = checked->has_parameters;
  input.call.relations = checked->relations;
  return input;
}

}  // namespace

std::string strip_concurrently(const std::string& statement)
{
  static const std::regex concurrently(R"(^(\s*CREATE\s+(UNIQUE\s+)?INDEX\s+)CONCURRENTLY\s+)",
                                       std::regex::icase);
  return std::regex_replace(statement, concurrently, "$1", std::regex_constants::format_first_only);
}

WhatIfSession::WhatIfSession(Session& session) : m_session(session)
{
  try {
    m_available = session.has_extension("hypopg");
  } catch (const std::exception&) {
    m_available = false;
  }
}

WhatIfSession::~WhatIfSession()
{
  if (!m_live.empty())
    reset();
}

bool WhatIfSession::reset()
{
  m_live.clear();
  try {
    pqxx::nontransaction txn(m_session.conn());
    txn.exec("SELECT hypopg_reset()");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

model::Result<WhatIfResult> WhatIfSession::evaluate(const std::string& sql,
                                                    const std::vector<std::string>& create_index_statements)
{
  if (!m_available)
    return hypopg_missing(m_session.database(), install_hypopg_hint);
  reset();
  auto result = evaluate_clean(sql, create_index_statements);
  reset();
  return result;
}

namespace {

bool out_of_oids(const std::exception& e)
{
  const std::string what = e.what();
  return what.find("oid available") != std::string::npos || what.find("no more oid") != std::string::npos;
}

}  // namespace

model::Error WhatIfSession::hypopg_error()
{
  return current_exception_to_error(m_session, ErrorContext{m_session.settings().statement_timeout_ms,
                                                            m_session.settings().lock_timeout_ms, {}});
}

std::optional<model::Error> WhatIfSession::retry_once_out_of_oids(const std::function<void()>& action)
{
  for (int attempt = 0;; ++attempt) {
    try {
      action();
      return std::nullopt;
    } catch (const std::exception& e) {
      // HypoPG hands out OIDs from a small pool: start again from an empty session once.
      if (attempt == 0 && out_of_oids(e) && reset())
        continue;
      auto error = hypopg_error();
      reset();
      return error;
    }
  }
}

WhatIfSession::LiveIndex WhatIfSession::create_live(const std::string& statement)
{
  pqxx::nontransaction txn(m_session.conn());
  const auto row = txn.exec_params1(
      "SELECT indexrelid::text, indexname, hypopg_relation_size(indexrelid) FROM hypopg_create_index($1)", statement);
  ++m_created;
  LiveIndex live{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>()};
  m_sizes[statement] = live.bytes;
  return live;
}

void WhatIfSession::sync_live(const std::vector<std::string>& statements)
{
  std::vector<std::string> stale;
  for (const auto& [statement, live] : m_live)
    if (std::find(statements.begin(), statements.end(), statement) == statements.end())
      stale.push_back(statement);
  if (!stale.empty()) {
    pqxx::nontransaction txn(m_session.conn());
    for (const auto& statement : stale) {
      txn.exec_params("SELECT hypopg_drop_index($1::oid)", m_live[statement].oid);
      m_live.erase(statement);
    }
  }
  for (const auto& statement : statements)
    if (m_live.count(statement) == 0)
      m_live.emplace(statement, create_live(statement));
}

model::Result<WhatIfCost> WhatIfSession::cost_with(const std::string& sql,
                                                   const std::vector<std::string>& create_index_statements)
{
  if (!m_available)
    return hypopg_missing(m_session.database(), install_hypopg_hint);
  auto input = checked_what_if_input(sql, create_index_statements);
  if (!input)
    return input.error();
  const auto& statements = input->index_statements;

  if (auto error = retry_once_out_of_oids([&] { sync_live(statements); }))
    return *error;
  auto plan = run_explain(m_session, input->call);
  if (!plan)
    return plan.error();
  auto facts = plan_facts(plan.value());
  if (!facts)
    return facts.error();
  WhatIfCost out;
  out.cost = facts->total_cost;
  for (const auto& statement : statements)
    for (const auto& used : facts->index_names)
      if (used == m_live[statement].name && std::find(out.used.begin(), out.used.end(), statement) == out.used.end())
        out.used.push_back(statement);
  return out;
}

model::Result<std::int64_t> WhatIfSession::index_size(const std::string& create_index_statement)
{
  if (!m_available)
    return hypopg_missing(m_session.database(), {});
  auto checked = checked_index_statement(create_index_statement);
  if (!checked)
    return checked.error();
  if (auto it = m_sizes.find(*checked); it != m_sizes.end())
    return it->second;
  std::int64_t bytes = 0;
  auto error = retry_once_out_of_oids([&] {
    auto live = create_live(*checked);
    pqxx::nontransaction txn(m_session.conn());
    txn.exec_params("SELECT hypopg_drop_index($1::oid)", live.oid);
    bytes = live.bytes;
  });
  if (error)
    return *error;
  return bytes;
}

model::Result<WhatIfResult> WhatIfSession::evaluate_clean(const std::string& sql,
                                                          const std::vector<std::string>& create_index_statements)
{
  auto input = checked_what_if_input(sql, create_index_statements);
  if (!input)
    return input.error();
  const auto& index_statements = input->index_statements;
  const auto& call = input->call;

  WhatIfResult out;
  auto before = run_explain(m_session, call);
  if (!before)
    return before.error();
  out.plan_before_json = std::move(before.value());

  std::vector<std::string> hypothetical_names;
  try {
    pqxx::nontransaction txn(m_session.conn());
    for (const auto& statement : index_statements) {
      const auto row = txn.exec_params1(
          "SELECT indexname, hypopg_relation_size(indexrelid) FROM hypopg_create_index($1)", statement);
      hypothetical_names.push_back(row[0].as<std::string>());
      out.index_bytes += row[1].as<std::int64_t>();
    }
  } catch (...) {
    return current_exception_to_error(m_session, ErrorContext{m_session.settings().statement_timeout_ms,
                                                              m_session.settings().lock_timeout_ms,
                                                              call.relations});
  }

  // run_explain prepares afresh each time, so a generic plan sees the new indexes.
  auto after = run_explain(m_session, call);
  if (!after)
    return after.error();
  out.plan_after_json = std::move(after.value());

  auto facts_before = plan_facts(out.plan_before_json);
  if (!facts_before)
    return facts_before.error();
  auto facts_after = plan_facts(out.plan_after_json);
  if (!facts_after)
    return facts_after.error();
  out.cost_before = facts_before->total_cost;
  out.cost_after = facts_after->total_cost;
  for (const auto& used : facts_after->index_names)
    for (const auto& name : hypothetical_names)
      out.index_used = out.index_used || used == name;
  return out;
}

}  // namespace connectors::pg
