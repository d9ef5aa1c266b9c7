#include "connectors/postgres/explain_runner.hpp"

#include "connectors/postgres/generic_plan.hpp"
#include "connectors/postgres/statement_check.hpp"

namespace connectors::pg {

namespace {

std::string kind_name(const CheckedStatement& statement)
{
  switch (statement.shape.kind) {
    case parser::StatementKind::insert: return "INSERT";
    case parser::StatementKind::update: return "UPDATE";
    case parser::StatementKind::delete_: return "DELETE";
    case parser::StatementKind::merge: return "MERGE";
    default: break;
  }
  if (statement.shape.has_writing_cte)
    return "a data-modifying WITH";
  return "SELECT that locks rows or creates a table";
}

}  // namespace

model::Result<ExplainResult> explain(Session& session, const ExplainRequest& request)
{
  auto checked = check_statement(request.sql);
  if (!checked)
    return checked.error();

  ExplainCall call;
  call.statement = checked->text;
  call.generic = checked->has_parameters;
  call.relations = checked->relations;
  call.analyze = request.allow_analyze && !call.generic &&
                 checked->statement_class == StatementClass::read_only_select;

  ExplainResult out;
  out.generic_plan = call.generic;
  if (checked->statement_class == StatementClass::write)
    out.note = kind_name(*checked) + ": explained without ANALYZE";
  else if (call.generic)
    out.note = "$n parameters: generic plan, explained without ANALYZE";
  else if (!request.allow_analyze)
    out.note = "ANALYZE not allowed: estimates only";

  auto json = run_explain(session, call);
  if (!json)
    return json.error();
  auto plan = model::parse_explain_json(*json);
  if (!plan)
    return plan.error();
  out.plan = std::move(plan.value());
  out.analyzed = call.analyze;
  return out;
}

}  // namespace connectors::pg
