#include "connectors/postgres/hypopg_session.hpp"

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

bool WhatIfSession::reset()
{
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
    return model::make_error(model::ErrorKind::refused,
                             "the hypopg extension is not installed in database \"" + m_session.database() + "\"",
                             "CREATE EXTENSION hypopg (pgadvisor never creates it)");
  reset();
  auto result = evaluate_clean(sql, create_index_statements);
  reset();
  return result;
}

model::Result<WhatIfResult> WhatIfSession::evaluate_clean(const std::string& sql,
                                                          const std::vector<std::string>& create_index_statements)
{
  std::vector<std::string> index_statements;
  for (const auto& statement : create_index_statements) {
    auto checked = checked_index_statement(statement);
    if (!checked)
      return checked.error();
    index_statements.push_back(std::move(checked.value()));
  }
  auto checked = check_statement(sql);
  if (!checked)
    return checked.error();
  ExplainCall call;
  call.statement = checked->text;
  call.generic = checked->has_parameters;
  call.relations = checked->relations;

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
