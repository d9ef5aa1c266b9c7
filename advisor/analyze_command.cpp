#include "advisor/analyze_command.hpp"

#include <iostream>

#include "advisor/cli_support.hpp"
#include "advisor/query_analysis.hpp"
#include "advisor/query_input.hpp"
#include "advisor/render_json.hpp"
#include "advisor/render_text.hpp"

namespace po = boost::program_options;

namespace advisor {

namespace {

const char* const analyze_usage =
    "usage: pgadvisor analyze [--db CONNINFO] QUERY | -f FILE | -\n"
    "       pgadvisor analyze --plan PLAN.json [-f QUERY.sql]\n"
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
       "percent: an index must make the query at least this much cheaper");
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
