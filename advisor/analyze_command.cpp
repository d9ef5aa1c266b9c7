#include "advisor/analyze_command.hpp"

#include <iostream>

#include "advisor/cli_support.hpp"
#include "advisor/query_analysis.hpp"
#include "advisor/query_input.hpp"
#include "advisor/render_json.hpp"
#include "advisor/render_text.hpp"
#include "advisor/workload_advice.hpp"
#include "advisor/workload_render.hpp"

namespace po = boost::program_options;

namespace advisor {

namespace {

const char* const analyze_usage =
    "usage: pgadvisor analyze [--db CONNINFO] QUERY | -f FILE | -\n"
    "       pgadvisor analyze --plan PLAN.json [-f QUERY.sql]\n"
    "       pgadvisor analyze --db CONNINFO --workload FILE [--budget SIZE|PCT%]\n"
    "       pgadvisor analyze --db CONNINFO --from-stat-statements [--min-calls N] [--top N]\n"
    "\n"
    "Analyses one query: its plan, findings, and HypoPG-validated index recommendations.\n"
    "CONNINFO is a libpq connection string or postgresql:// URL; PG* environment variables\n"
    "and ~/.pgpass apply. Nothing is created or changed on the server: EXPLAIN ANALYZE runs\n"
    "only for a plain SELECT, in a READ ONLY transaction that is rolled back.\n";

po::options_description analyze_options()
{
  po::options_description options("analyze options");
  options.add_options()
      ("db,d", po::value<std::string>()->default_value(""), "connection string (default: PG* environment)")
      ("file,f", po::value<std::string>(), "read the query from FILE (- for standard input)")
      ("plan", po::value<std::string>(), "analyse a saved EXPLAIN (FORMAT JSON) plan; no database")
      ("query", po::value<std::string>(), "the SQL text (positional)")
      ("verbose,v", "also list rejected candidates and more plan nodes")
      ("fail-on-recommendations", "exit 3 when there are recommendations")
      ("no-analyze", "plan without executing (EXPLAIN only)")
      ("statement-timeout", po::value<int>()->default_value(30000), "ms, for every statement pgadvisor sends")
      ("lock-timeout", po::value<int>()->default_value(2000), "ms to wait for a lock")
      ("min-improvement", po::value<double>()->default_value(30),
       "percent: an index must make the query at least this much cheaper")
      ("workload", po::value<std::string>(), "advise a whole workload: SQL statements, each optionally after -- calls: N")
      ("from-stat-statements", "advise what pg_stat_statements holds for the database now")
      ("min-calls", po::value<double>()->default_value(1), "--from-stat-statements: skip statements with fewer calls")
      ("top", po::value<int>()->default_value(100), "--from-stat-statements: the N statements with the most total time")
      ("budget", po::value<std::string>()->default_value("25%"),
       "size budget for new indexes: bytes (500MB, 2GB, 0) or a percentage of the workload's tables")
      ("max-per-table", po::value<int>()->default_value(3), "new indexes per table at most")
      ("unused-window-days", po::value<double>()->default_value(7),
       "statistics window after which an unscanned index is a confident drop candidate");
  return options;
}

model::Result<AnalysisSettings> settings_from(const po::variables_map& values)
{
  AnalysisSettings settings;
  settings.session.statement_timeout_ms = values["statement-timeout"].as<int>();
  settings.session.lock_timeout_ms = values["lock-timeout"].as<int>();
  settings.explain_analyze = values.count("no-analyze") == 0;
  const double bar = values["min-improvement"].as<double>();
  if (bar < 0 || bar >= 100)
    return model::make_error(model::ErrorKind::invalid_input, "--min-improvement must be in [0, 100), not " + std::to_string(bar));
  if (settings.session.statement_timeout_ms <= 0 || settings.session.lock_timeout_ms <= 0)
    return model::make_error(model::ErrorKind::invalid_input, "--statement-timeout and --lock-timeout must be positive");
  settings.selection.min_improvement = bar / 100;
  return settings;
}

//! "25%" -> fraction 0.25; "500MB", "2 GB", "1048576", "0" -> bytes.
model::Result<WorkloadSettings> parse_budget(const std::string& text, WorkloadSettings settings)
{
  const auto error = model::make_error(model::ErrorKind::invalid_input, "--budget: cannot read \"" + text + "\"",
                                       "a size such as 500MB or 2GB, or a percentage such as 25%");
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || value < 0)
    return error;
  std::string unit(end);
  unit.erase(0, unit.find_first_not_of(' '));
  for (auto& c : unit)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit == "%") {
    settings.budget_fraction = value / 100;
    return settings;
  }
  const std::pair<const char*, double> units[] = {{"", 1}, {"B", 1}, {"KB", 1024.0}, {"MB", 1024.0 * 1024},
                                                  {"GB", 1024.0 * 1024 * 1024}, {"TB", 1024.0 * 1024 * 1024 * 1024}};
  for (const auto& [name, factor] : units) {
    if (unit == name) {
      settings.budget_bytes = static_cast<std::int64_t>(value * factor);
      return settings;
    }
  }
  return error;
}

model::Result<WorkloadSettings> workload_settings_from(const po::variables_map& values, const AnalysisSettings& analysis)
{
  WorkloadSettings settings;
  settings.analysis = analysis;
  settings.analysis.explain_analyze = false;
  const int per_table = values["max-per-table"].as<int>();
  if (per_table < 0)
    return model::make_error(model::ErrorKind::invalid_input, "--max-per-table must not be negative");
  settings.max_per_table = static_cast<std::size_t>(per_table);
  const double days = values["unused-window-days"].as<double>();
  if (days < 0)
    return model::make_error(model::ErrorKind::invalid_input, "--unused-window-days must not be negative");
  settings.existing.min_window_seconds = days * 86400;
  return parse_budget(values["budget"].as<std::string>(), settings);
}

ExitCode run_workload(const po::variables_map& values, const AnalysisSettings& analysis, std::ostream& out,
                      std::ostream& err)
{
  auto settings = workload_settings_from(values, analysis);
  if (!settings) {
    print_error(err, settings.error());
    return ExitCode::usage;
  }
  const std::string conninfo = values["db"].as<std::string>();
  model::Result<WorkloadReport> report = model::make_error(model::ErrorKind::internal, "not run");
  if (values.count("workload")) {
    const std::string path = values["workload"].as<std::string>();
    auto text = read_file(path);
    if (!text) {
      print_error(err, text.error());
      return ExitCode::failed;
    }
    report = analyse_workload_text(conninfo, *text, path, *settings);
  } else {
    connectors::pg::StatStatementsFilter filter;
    filter.min_calls = values["min-calls"].as<double>();
    const int top = values["top"].as<int>();
    if (top <= 0) {
      print_error(err, model::make_error(model::ErrorKind::invalid_input, "--top must be positive"));
      return ExitCode::usage;
    }
    filter.top = static_cast<std::size_t>(top);
    report = analyse_stat_statements(conninfo, filter, *settings);
  }
  if (!report) {
    print_error(err, report.error());
    return ExitCode::failed;
  }
  const bool verbose = values.count("verbose") > 0;
  if (*output_format(values) == OutputFormat::json)
    out << workload_to_json(*report, verbose).dump(2) << "\n";
  else
    render_workload_text(*report, verbose, out);
  if (values.count("fail-on-recommendations") && !report->recommendations.empty())
    return ExitCode::recommendations_found;
  return ExitCode::done;
}

}  // namespace

ExitCode run_analyze(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err)
{
  po::positional_options_description positional;
  positional.add("query", 1);
  auto options = analyze_options();
  auto parsed = parse_options(args, options, positional);
  if (!parsed) {
    print_error(err, parsed.error());
    err << analyze_usage;
    return ExitCode::usage;
  }
  const auto& values = parsed->values;
  if (parsed->help) {
    out << analyze_usage << "\n" << options;
    return ExitCode::done;
  }
  auto settings = settings_from(values);
  if (!settings) {
    print_error(err, settings.error());
    return ExitCode::usage;
  }

  if (values.count("workload") || values.count("from-stat-statements")) {
    if (values.count("workload") && values.count("from-stat-statements")) {
      err << "pgadvisor: error: --workload and --from-stat-statements exclude each other\n" << analyze_usage;
      return ExitCode::usage;
    }
    if (values.count("query") || values.count("file") || values.count("plan")) {
      err << "pgadvisor: error: a workload is analysed on its own: no QUERY, -f or --plan with it\n" << analyze_usage;
      return ExitCode::usage;
    }
    return run_workload(values, *settings, out, err);
  }

  std::optional<std::string> query_text;
  std::optional<std::string> query_file;
  if (values.count("query"))
    query_text = values["query"].as<std::string>();
  if (values.count("file"))
    query_file = values["file"].as<std::string>();

  model::Result<AnalysisReport> report = model::make_error(model::ErrorKind::internal, "not run");
  std::string sql;
  if (values.count("plan")) {
    auto plan_text = read_file(values["plan"].as<std::string>());
    if (!plan_text) {
      print_error(err, plan_text.error());
      return ExitCode::failed;
    }
    std::optional<std::string> plan_sql;
    if (query_text || query_file) {
      auto text = read_query(query_text, query_file, in);
      if (!text) {
        print_error(err, text.error());
        return ExitCode::failed;
      }
      plan_sql = sql = *text;
    }
    report = analyse_offline(*plan_text, plan_sql, *settings);
  } else {
    if (!query_text && !query_file) {
      err << "pgadvisor: error: no query given\n" << analyze_usage;
      return ExitCode::usage;
    }
    auto text = read_query(query_text, query_file, in);
    if (!text) {
      print_error(err, text.error());
      return ExitCode::failed;
    }
    sql = *text;
    report = analyse_online(values["db"].as<std::string>(), sql, *settings);
  }
  if (!report) {
    print_error(err, report.error(), sql);
    return ExitCode::failed;
  }

  const bool verbose = values.count("verbose") > 0;
  if (*output_format(values) == OutputFormat::json)
    out << report_to_json(*report, verbose).dump(2) << "\n";
  else
    render_text(*report, verbose, out);

  if (values.count("fail-on-recommendations") && !report->recommendations.empty())
    return ExitCode::recommendations_found;
  return ExitCode::done;
}

}  // namespace advisor
