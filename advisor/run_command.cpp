#include "advisor/run_command.hpp"

#include <ostream>

#include "advisor/cli_support.hpp"
#include "advisor/delivery/webhook_config.hpp"
#include "advisor/config/config_render.hpp"
#include "advisor/daemon/daemon.hpp"

namespace po = boost::program_options;

namespace advisor {

ExitCode run_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  const char* usage = "usage: pgadvisor run [--config FILE] [--once] [--set section.key=value]...\n"
                      "       pgadvisor run [--config FILE] --check-config | --show-config\n"
                      "       pgadvisor run --print-example-config\n";
  po::options_description options("run options");
  options.add_options()
      ("config,c", po::value<std::string>(), "configuration file (default /etc/pgadvisor/pgadvisor.conf)")
      ("once", "run one cycle over every target, write the file, and exit")
      ("check-config", "check the configuration and exit (0 valid, 2 not)")
      ("show-config", "print the effective settings and where each came from")
      ("print-example-config", "print the example configuration generated from the key table")
      ("set", po::value<std::vector<std::string>>()->composing(),
       "override a key: --set daemon.interval=10s (repeatable; not for targets)");
  auto parsed = parse_options(args, options, {});
  if (!parsed) {
    print_error(err, parsed.error());
    err << usage;
    return ExitCode::usage;
  }
  const auto& values = parsed->values;
  if (parsed->help) {
    out << usage << "\n" << options << "\nconfiguration keys (INI sections; environment PGADVISOR_<SECTION>_<KEY>):\n"
        << config::keys_help();
    return ExitCode::done;
  }
  if (values.count("print-example-config")) {
    out << config::example_config();
    return ExitCode::done;
  }

  daemon::DaemonOptions daemon_options;
  auto& sources = daemon_options.sources;
  // --show-config with no file shows the defaults; everything else needs a file.
  if (values.count("config"))
    sources.file = values["config"].as<std::string>();
  else if (!values.count("show-config"))
    sources.file = default_config_file;
  if (values.count("set"))
    sources.overrides = values["set"].as<std::vector<std::string>>();

  if (values.count("check-config") || values.count("show-config")) {
    auto config = config::load_config(sources);
    if (!config) {
      print_error(err, config.error());
      return ExitCode::usage;
    }
    if (values.count("show-config")) {
      out << config::show_config(*config);
      return ExitCode::done;
    }
    // The webhooks as the daemon would set them up: a secret file that cannot be read or a
    // plain-http URL to a remote host is found now, not at the next start.
    auto webhooks = delivery::webhook_setup(*config);
    if (!webhooks) {
      print_error(err, webhooks.error());
      return ExitCode::usage;
    }
    out << (config->file.empty() ? std::string("defaults") : config->file) << ": valid, "
        << config->targets.size() << " targets, " << webhooks->endpoints.size() << " webhooks\n";
    return ExitCode::done;
  }
  daemon_options.once = values.count("once") > 0;
  return daemon::run_daemon(daemon_options, err);
}

}  // namespace advisor
