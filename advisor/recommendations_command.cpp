#include "advisor/recommendations_command.hpp"

#include "heuristics/number_format.hpp"

#include <cstdio>
#include <ostream>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "advisor/cli_support.hpp"
#include "advisor/config/config.hpp"
#include "advisor/delivery/deliveries_report.hpp"
#include "advisor/run_command.hpp"
#include "connectors/clock.hpp"
#include "connectors/store/history_store.hpp"
#include "connectors/store/outbox_store.hpp"
#include "connectors/store/recommendation_store.hpp"
#include "heuristics/delivery/retry_policy.hpp"

namespace po = boost::program_options;

namespace advisor {

namespace {

//! The store path: --state, else daemon.state of the config file.
model::Result<std::string> state_path(const po::variables_map& values)
{
  if (values.count("state"))
    return values["state"].as<std::string>();
  config::ConfigSources sources;
  sources.file = values.count("config") ? values["config"].as<std::string>() : std::string(default_config_file);
  auto config = config::load_config(sources);
  if (!config)
    return config.error();
  return config->text("daemon.state");
}

void print_text(std::ostream& out, const std::vector<connectors::store::StoredRecommendation>& list)
{
  if (list.empty()) {
    out << "no recommendations\n";
    return;
  }
  int rank = 0;
  for (const auto& r : list) {
    const std::string saved = heuristics::format_ms(r.ms_saved_per_day) + "/day";
    out << ++rank << ". [" << r.status << "] " << r.target << ": " << r.statement << "\n   id " << r.id << ", "
        << r.kind << ", saves about " << saved << ", first seen " << r.first_seen << ", last seen " << r.last_seen
        << "\n";
    // What a DBA reads next: why it is slow (the strongest hypothesis) and, once applied,
    // whether it helped.
    const auto document = nlohmann::json::parse(r.document, nullptr, false);
    if (document.is_object()) {
      const auto trace = document.value("trace", nlohmann::json::object());
      const auto hypotheses = trace.value("hypotheses", nlohmann::json::array());
      if (!hypotheses.empty() && hypotheses[0].is_object())
        out << "   why: " << hypotheses[0].value("statement", std::string()) << "\n";
      const auto verification = document.value("verification", nlohmann::json::object());
      if (verification.contains("reason"))
        out << "   " << verification.value("outcome", std::string("verification")) << ": "
            << verification.value("reason", std::string()) << "\n";
    }
  }
}

constexpr int deliveries_shown = 100;

//! The webhook outbox, newest first. A store where no webhook was ever configured has no
//! outbox table: that reads as no deliveries (a reader must not create tables).
model::Result<std::vector<connectors::store::OutboxRow>> read_deliveries(connectors::store::Database& db,
                                                                         const std::string& state)
{
  auto table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'webhook_outbox'");
  if (!table)
    return table.error();
  auto exists = table->step();
  if (!exists)
    return exists.error();
  if (!*exists)
    return std::vector<connectors::store::OutboxRow>{};
  return connectors::store::list_deliveries(db, state, deliveries_shown);
}

ExitCode print_deliveries(connectors::store::Database& db, const std::string& state, OutputFormat format,
                          std::ostream& out, std::ostream& err)
{
  auto rows = read_deliveries(db, state);
  if (!rows) {
    print_error(err, rows.error());
    return ExitCode::failed;
  }
  if (format == OutputFormat::json) {
    nlohmann::ordered_json document{{"schema_version", 1},
                                    {"generated_at", connectors::utc_now_iso8601()},
                                    {"deliveries", delivery::deliveries_json(*rows)}};
    out << document.dump(2) << "\n";
  } else {
    out << delivery::deliveries_text(*rows);
  }
  return ExitCode::done;
}

}  // namespace

ExitCode run_recommendations(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  const char* usage = "usage: pgadvisor recommendations [--config FILE | --state DB] [--status S|all] [--format text|json]\n"
                      "       pgadvisor recommendations [--config FILE | --state DB] --dismiss ID\n"
                      "       pgadvisor recommendations [--config FILE | --state DB] --deliveries "
                      "[--status pending|delivered|dead|disabled|all] [--format text|json]\n";
  po::options_description options("recommendations options");
  options.add_options()
      ("config,c", po::value<std::string>(), "the daemon's configuration file, for daemon.state")
      ("state", po::value<std::string>(), "the daemon's SQLite store (instead of --config)")
      ("status", po::value<std::string>(), "open, applied, verified, no_effect, regressed, dismissed, resolved or all "
                                           "(default: all but dismissed and resolved); with --deliveries: pending, "
                                           "delivered, dead, disabled or all (default: all)")
      ("dismiss", po::value<std::string>(), "mark the recommendation ID dismissed: it is not filed again")
      ("deliveries", po::bool_switch(), "list the webhook outbox instead (newest 100): state, tries, last HTTP "
                                        "status and error of every delivery, dead letters included");
  auto parsed = parse_options(args, options, {});
  if (!parsed) {
    print_error(err, parsed.error());
    err << usage;
    return ExitCode::usage;
  }
  if (parsed->help) {
    out << usage << "\n" << options;
    return ExitCode::done;
  }
  const auto& values = parsed->values;
  const std::string status = values.count("status") ? values["status"].as<std::string>() : std::string();
  const bool deliveries = values["deliveries"].as<bool>();
  if (deliveries && values.count("dismiss")) {
    err << "pgadvisor: error: --deliveries and --dismiss do not go together\n" << usage;
    return ExitCode::usage;
  }
  if (deliveries && !status.empty() && status != "all" && !heuristics::delivery::parse_delivery_state(status)) {
    err << "pgadvisor: error: unknown delivery state '" << status << "' (pending, delivered, dead, disabled or all)\n"
        << usage;
    return ExitCode::usage;
  }
  if (!deliveries && !status.empty() && status != "all" && !connectors::store::is_valid_status(status)) {
    err << "pgadvisor: error: unknown status '" << status << "'\n" << usage;
    return ExitCode::usage;
  }
  auto path = state_path(values);
  if (!path) {
    print_error(err, path.error());
    return ExitCode::usage;
  }
  // Reading must not create an empty store where the daemon never ran.
  struct stat info {};
  if (::stat(path->c_str(), &info) != 0) {
    err << "pgadvisor: error: no store at " << *path << ": has the daemon run yet?\n";
    return ExitCode::failed;
  }
  auto store = connectors::store::HistoryStore::open(*path);
  if (!store) {
    print_error(err, store.error());
    return ExitCode::failed;
  }
  auto& db = (*store)->database();

  if (deliveries)
    return print_deliveries(db, status == "all" ? std::string() : status, *output_format(values), out, err);

  if (values.count("dismiss")) {
    const std::string id = values["dismiss"].as<std::string>();
    auto done = connectors::store::set_status(db, id, "dismissed", connectors::utc_now_iso8601());
    if (!done) {
      print_error(err, done.error());
      return ExitCode::failed;
    }
    if (!*done) {
      err << "pgadvisor: error: no recommendation with id " << id << "\n";
      return ExitCode::failed;
    }
    out << "dismissed " << id << "\n";
    return ExitCode::done;
  }

  auto all = connectors::store::list_recommendations(db, status == "all" ? std::string() : status);
  if (!all) {
    print_error(err, all.error());
    return ExitCode::failed;
  }
  std::vector<connectors::store::StoredRecommendation> list;
  for (auto& r : *all)
    if (!status.empty() || (r.status != "dismissed" && r.status != "resolved"))
      list.push_back(std::move(r));

  if (*output_format(values) == OutputFormat::json) {
    nlohmann::ordered_json recommendations = nlohmann::ordered_json::array();
    int rank = 0;
    for (const auto& r : list) {
      auto json = nlohmann::ordered_json::parse(r.document, nullptr, false);
      if (json.is_discarded())
        continue;
      json["rank"] = ++rank;
      recommendations.push_back(std::move(json));
    }
    nlohmann::ordered_json document{{"schema_version", 1},
                                    {"generated_at", connectors::utc_now_iso8601()},
                                    {"recommendations", recommendations}};
    out << document.dump(2) << "\n";
  } else {
    print_text(out, list);
  }
  return ExitCode::done;
}

}  // namespace advisor
