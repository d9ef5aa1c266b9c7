#include "advisor/workload_advice.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "advisor/rewrite_advice.hpp"
#include "advisor/workload_indexes.hpp"
#include "advisor/workload_planning.hpp"
#include "connectors/clock.hpp"
#include "connectors/postgres/catalog_reader.hpp"
#include "connectors/postgres/function_reader.hpp"
#include "heuristics/rule_registry.hpp"
#include "parser/normalized_text.hpp"

namespace advisor {

namespace {

using TableKey = std::pair<std::string, std::string>;

struct ParsedStatement {
  WorkloadStatement statement;
  std::string text;  //!< plannable text
  parser::QueryInfo info;
  std::vector<std::string> notes;
};

bool advisable(parser::StatementKind kind)
{
  return kind == parser::StatementKind::select || kind == parser::StatementKind::insert ||
         kind == parser::StatementKind::update || kind == parser::StatementKind::delete_;
}

std::vector<TableKey> tables_of(const std::vector<ParsedStatement>& statements)
{
  std::set<TableKey> seen;
  std::vector<TableKey> out;
  for (const auto& statement : statements)
    for (const auto& table : statement.info.shape.tables)
      if (seen.insert({table.schema, table.name}).second)
        out.emplace_back(table.schema, table.name);
  return out;
}

//! The relation an error like `relation "shop.nope" does not exist` names, as written.
std::string relation_in(const std::string& message)
{
  const auto open = message.find('"');
  const auto close = open == std::string::npos ? open : message.find('"', open + 1);
  return close == std::string::npos ? std::string() : message.substr(open + 1, close - open - 1);
}

bool names_relation(const parser::QueryShape& shape, const std::string& relation)
{
  return std::any_of(shape.tables.begin(), shape.tables.end(), [&](const parser::TableRef& table) {
    return table.name == relation || table.schema + "." + table.name == relation;
  });
}

//! Reads the catalog; statements naming an unknown table are moved to `skipped` and the read
//! is retried without them.
model::Result<model::Catalog> read_known_catalog(connectors::pg::Session& session, std::vector<ParsedStatement>& statements,
                                                 std::vector<SkippedStatement>& skipped)
{
  while (true) {
    auto catalog = connectors::pg::read_catalog(session, tables_of(statements));
    if (catalog || catalog.error().kind != model::ErrorKind::not_found)
      return catalog;
    const std::string relation = relation_in(catalog.error().message);
    const auto before = statements.size();
    auto unknown = std::stable_partition(statements.begin(), statements.end(), [&](const ParsedStatement& statement) {
      return !names_relation(statement.info.shape, relation);
    });
    for (auto it = unknown; it != statements.end(); ++it)
      skipped.push_back({it->statement.line, it->statement.sql, catalog.error().message});
    statements.erase(unknown, statements.end());
    if (statements.size() == before)
      return catalog.error();  // the reader named something no statement holds: give up
  }
}

std::vector<std::string> resolved_tables(const parser::QueryShape& shape, const model::Catalog& catalog)
{
  std::vector<std::string> out;
  for (const auto& ref : shape.tables) {
    const auto* table = catalog.find(ref.schema, ref.name);
    if (!table)
      continue;
    const std::string name = table->schema + "." + table->name;
    if (std::find(out.begin(), out.end(), name) == out.end())
      out.push_back(name);
  }
  return out;
}

void rank(std::vector<model::Recommendation>& recommendations)
{
  std::stable_sort(recommendations.begin(), recommendations.end(),
                   [](const auto& a, const auto& b) { return a.score > b.score; });
  int position = 0;
  for (auto& recommendation : recommendations)
    recommendation.rank = ++position;
}

}  // namespace

model::Result<WorkloadReport> advise_workload(connectors::pg::Session& session, std::vector<WorkloadStatement> statements,
                                              std::vector<SkippedStatement> skipped, const std::string& source,
                                              const WorkloadSettings& settings)
{
  const auto started = std::chrono::steady_clock::now();
  WorkloadReport report;
  report.target = session.database();
  report.generated_at = connectors::utc_now_iso8601();
  report.source = source;

  std::vector<ParsedStatement> parsed;
  for (auto& statement : statements) {
    ParsedStatement item;
    item.notes = statement.notes;
    item.text = plannable_text(statement, item.notes);
    auto info = parser::analyse(item.text);
    if (!info) {
      skipped.push_back({statement.line, statement.sql, "unexplainable: " + info.error().message});
      continue;
    }
    if (!advisable(info->shape.kind) || info->statement_count != 1) {
      skipped.push_back({statement.line, statement.sql, "not a single SELECT, INSERT, UPDATE or DELETE"});
      continue;
    }
    if (info->shape.sql.empty())
      info->shape.sql = item.text;
    if (statement.normalized) {
      for (int param : parser::literal_only_parameters(item.text))
        item.notes.push_back("$" + std::to_string(param) + " stands for a JSON key or a pattern and no sample of the "
                             "real text was found: expression and trigram candidates that need its value cannot be made");
    }
    item.info = std::move(info.value());
    item.statement = std::move(statement);
    parsed.push_back(std::move(item));
  }

  auto catalog = read_known_catalog(session, parsed, skipped);
  if (!catalog)
    return catalog.error();
  std::set<std::string> functions;
  for (const auto& item : parsed)
    functions.insert(item.info.shape.functions_called.begin(), item.info.shape.functions_called.end());
  if (auto features = connectors::pg::read_server_features(session, {functions.begin(), functions.end()}))
    catalog->features = std::move(features.value());
  else
    report.notes.push_back("function volatility could not be read (" + features.error().message +
                           "): no expression index candidates");

  std::vector<AdvisedQuery> advised;
  for (auto& item : parsed) {
    auto planned = plan_statement(session, item.text, item.info.shape, *catalog);
    if (!planned) {
      skipped.push_back({item.statement.line, item.statement.sql, planned.error().message});
      continue;
    }
    AdvisedQuery query;
    query.tables = resolved_tables(item.info.shape, *catalog);
    heuristics::RuleContext context;
    context.shape = &item.info.shape;
    context.plan = &planned->explained.plan;
    context.catalog = &catalog.value();
    context.stats = item.statement.stats ? &*item.statement.stats : nullptr;
    query.findings = heuristics::run_rules(context, settings.analysis.rules);

    WorkloadQuery row;
    row.fingerprint = item.info.fingerprint.hex;
    row.normalized = item.info.normalized;
    row.planned_sql = planned->sql;
    row.calls = item.statement.calls;
    row.line = item.statement.line;
    if (item.statement.stats)
      row.mean_ms = item.statement.stats->mean_ms;
    row.plan_source = planned->source;
    row.planning_notes = item.notes;
    row.planning_notes.insert(row.planning_notes.end(), planned->notes.begin(), planned->notes.end());
    row.findings = query.findings;
    query.report_index = report.queries.size();
    report.queries.push_back(std::move(row));

    query.statement = std::move(item.statement);
    query.info = std::move(item.info);
    query.planned = std::move(planned.value());
    advised.push_back(std::move(query));
  }
  report.skipped = std::move(skipped);
  if (advised.empty())
    report.notes.push_back("no statement of the workload could be advised (see the skipped ones)");

  double window_seconds = 0;
  for (const auto& query : advised)
    if (query.statement.stats)
      window_seconds = std::max(window_seconds, query.statement.stats->window_seconds);
  if (!advised.empty())
    choose_workload_indexes(session, advised, *catalog, settings, window_seconds, report);

  std::optional<double> stats_window;
  if (auto window = connectors::pg::stats_window_seconds(session))
    stats_window = *window;
  auto existing = existing_index_recommendations(
      report.target, heuristics::review_existing_indexes(*catalog, stats_window, settings.existing),
      settings.index_write_cost);
  report.recommendations.insert(report.recommendations.end(), existing.begin(), existing.end());

  std::vector<RewriteSource> rewrites;
  for (const auto& query : advised) {
    model::QueryRef ref;
    ref.fingerprint = query.info.fingerprint.hex;
    ref.normalized = query.info.normalized;
    ref.calls = query.statement.calls;
    if (query.statement.stats) {
      ref.mean_ms = query.statement.stats->mean_ms;
      ref.total_ms = query.statement.stats->total_ms;
    }
    rewrites.push_back({ref, query.planned.sql, query.planned.explained.plan.root.total_cost, query.findings});
  }
  auto rewritten = rewrite_recommendations(session, report.target, rewrites, report.notes);
  report.recommendations.insert(report.recommendations.end(), rewritten.begin(), rewritten.end());

  for (auto& recommendation : report.recommendations)
    recommendation.first_seen = recommendation.last_seen = report.generated_at;
  rank(report.recommendations);
  report.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return report;
}

model::Result<WorkloadReport> analyse_workload_text(const std::string& conninfo, const std::string& text,
                                                    const std::string& file_name, const WorkloadSettings& settings)
{
  auto file = parse_workload_file(text);
  if (file.statements.empty() && file.skipped.empty())
    return model::make_error(model::ErrorKind::invalid_input, "empty workload: " + file_name + " holds no SQL statement",
                             "one statement per ';', each optionally preceded by -- calls: N");
  auto session = connectors::pg::Session::connect(conninfo, settings.analysis.session);
  if (!session)
    return session.error();
  return advise_workload(**session, std::move(file.statements), std::move(file.skipped), "workload file " + file_name,
                         settings);
}

model::Result<WorkloadReport> analyse_stat_statements(const std::string& conninfo,
                                                      const connectors::pg::StatStatementsFilter& filter,
                                                      const WorkloadSettings& settings)
{
  auto session = connectors::pg::Session::connect(conninfo, settings.analysis.session);
  if (!session)
    return session.error();
  auto rows = connectors::pg::read_stat_statements(**session, filter);
  if (!rows)
    return rows.error();
  const auto window = connectors::pg::stat_statements_window_seconds(**session);

  // Real text behind a fingerprint, where another backend is running (or last ran) it.
  std::map<std::string, std::string> samples;
  if (auto activity = connectors::pg::read_activity_samples(**session))
    for (const auto& text : *activity)
      if (auto fingerprint = parser::fingerprint(text))
        samples.emplace(fingerprint->hex, text);

  std::vector<WorkloadStatement> statements;
  for (auto& row : *rows) {
    WorkloadStatement statement;
    statement.calls = row.stats.calls;
    statement.stats = row.stats;
    if (window)
      statement.stats->window_seconds = *window;
    statement.sql = row.query;
    statement.normalized = true;
    const auto plannable = parser::make_plannable(row.query);
    if (auto fingerprint = parser::fingerprint(plannable.sql)) {
      if (auto it = samples.find(fingerprint->hex); it != samples.end()) {
        statement.sql = it->second;
        statement.normalized = false;
        statement.notes.push_back("planned with a sample of the real text from pg_stat_activity");
      }
    }
    statements.push_back(std::move(statement));
  }
  auto report = advise_workload(**session, std::move(statements), {}, "pg_stat_statements", settings);
  if (report && rows->empty())
    report->notes.push_back("pg_stat_statements holds no statement of this database (besides pgadvisor's own)");
  return report;
}

}  // namespace advisor
