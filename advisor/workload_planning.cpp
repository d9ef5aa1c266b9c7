#include "advisor/workload_planning.hpp"

#include <map>

#include "parser/normalized_text.hpp"

namespace advisor {

namespace {

//! The table a parameter's column belongs to: its own, or the one table of the query that has
//! a column of that name.
const model::ColumnStats* column_of(const parser::ParamUse& param, const parser::QueryShape& shape,
                                    const model::Catalog& catalog)
{
  if (param.column.column.empty() || !param.column.function.empty())
    return nullptr;
  if (param.column.table && *param.column.table < shape.tables.size()) {
    const auto& ref = shape.tables[*param.column.table];
    const auto* table = catalog.find(ref.schema, ref.name);
    return table ? table->column(param.column.column) : nullptr;
  }
  const model::ColumnStats* found = nullptr;
  for (const auto& ref : shape.tables) {
    const auto* table = catalog.find(ref.schema, ref.name);
    if (const auto* column = table ? table->column(param.column.column) : nullptr) {
      if (found && found != column)
        return nullptr;  // ambiguous
      found = column;
    }
  }
  return found;
}

//! $n -> the most common value of the column it is compared with (pg_stats), when known.
std::map<int, std::string> sampled_values(const parser::QueryShape& shape, const model::Catalog& catalog,
                                          std::vector<std::string>& notes)
{
  std::map<int, std::string> values;
  for (const auto& param : shape.params) {
    if (values.count(param.number))
      continue;
    const auto* column = column_of(param, shape, catalog);
    if (!column || column->most_common_vals.empty())
      continue;
    values[param.number] = parser::quote_literal(column->most_common_vals.front());
    notes.push_back("$" + std::to_string(param.number) + " = " + values[param.number] + " (most common value of " +
                    param.column.column + " in pg_stats)");
  }
  return values;
}

model::Result<connectors::pg::ExplainResult> explain_plain(connectors::pg::Session& session, const std::string& sql)
{
  connectors::pg::ExplainRequest request;
  request.sql = sql;
  request.allow_analyze = false;
  return connectors::pg::explain(session, request);
}

}  // namespace

const char* to_string(PlanSource source)
{
  switch (source) {
    case PlanSource::literal: return "literal";
    case PlanSource::sampled_values: return "sampled_values";
    case PlanSource::partly_sampled: return "partly_sampled";
    case PlanSource::generic: return "generic";
  }
  return "literal";
}

std::string plannable_text(const WorkloadStatement& statement, std::vector<std::string>& notes)
{
  if (!statement.normalized)
    return statement.sql;
  auto plannable = parser::make_plannable(statement.sql);
  for (const auto& change : plannable.changes)
    notes.push_back("rewritten for the planner: " + change);
  return plannable.sql;
}

model::Result<PlannedStatement> plan_statement(connectors::pg::Session& session, const std::string& sql,
                                               const parser::QueryShape& shape, const model::Catalog& catalog)
{
  PlannedStatement planned;
  if (parser::parameters_in(sql).empty()) {
    auto explained = explain_plain(session, sql);
    if (!explained)
      return model::make_error(explained.error().kind, "unexplainable: " + explained.error().message,
                               explained.error().hint);
    planned.sql = sql;
    planned.explained = std::move(explained.value());
    return planned;
  }

  std::vector<std::string> value_notes;
  const auto values = sampled_values(shape, catalog, value_notes);
  std::string sampled_error;
  if (!values.empty()) {
    // The placeholders left are renumbered $1..$k: PREPARE cannot type a gap in the numbers.
    auto literals = values;
    int next = 0;
    for (int param : parser::parameters_in(sql))
      if (!values.count(param))
        literals[param] = "$" + std::to_string(++next);
    const std::string bound = parser::bind_parameters(sql, literals);
    auto explained = explain_plain(session, bound);
    if (explained) {
      planned.sql = bound;
      planned.source = parser::parameters_in(bound).empty() ? PlanSource::sampled_values : PlanSource::partly_sampled;
      planned.notes = std::move(value_notes);
      if (planned.source == PlanSource::partly_sampled)
        planned.notes.push_back("the other placeholders have no column statistics: generic plan for them");
      planned.explained = std::move(explained.value());
      return planned;
    }
    sampled_error = explained.error().message;
  }
  auto generic = explain_plain(session, sql);
  if (!generic) {
    std::string message = "unexplainable: " + generic.error().message + " (generic plan)";
    if (!sampled_error.empty())
      message += "; with values from pg_stats: " + sampled_error;
    else
      message += "; no pg_stats values for its placeholders";
    return model::make_error(model::ErrorKind::invalid_input, message,
                             "add the statement with real values to a workload file (--workload)");
  }
  planned.sql = sql;
  planned.source = PlanSource::generic;
  if (!sampled_error.empty())
    planned.notes.push_back("with values from pg_stats it failed (" + sampled_error + "): generic plan instead");
  else
    planned.notes.push_back("no pg_stats values for its placeholders: generic plan");
  planned.explained = std::move(generic.value());
  return planned;
}

}  // namespace advisor
