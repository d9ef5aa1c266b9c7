#include "advisor/cli.hpp"

#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "advisor/analyze_command.hpp"
#include "advisor/cli_support.hpp"
#include "advisor/exit_code.hpp"
#include "advisor/fingerprint_command.hpp"
#include "advisor/recommendations_command.hpp"
#include "advisor/run_command.hpp"

namespace advisor {

namespace {

const char* const usage_text =
    "usage: pgadvisor <command> [options]\n"
    "\n"
    "commands:\n"
    "  analyze       analyse one query on a live database, or a saved EXPLAIN JSON plan\n"
    "  fingerprint   print a query's fingerprint and normalised text\n"
    "  run           the daemon: sample, detect, analyse and file recommendations\n"
    "  recommendations  list the daemon's recommendations, or dismiss one\n"
    "\n"
    "Run 'pgadvisor <command> --help' for a command's options.\n";

}  // namespace

int run_cli(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err)
{
  try {
    if (argc < 2) {
      err << usage_text;
      return to_int(ExitCode::usage);
    }
    const std::string command = argv[1];
    if (command == "--help" || command == "-h" || command == "help") {
      out << usage_text;
      return to_int(ExitCode::done);
    }
    if (command == "--version") {
      out << "pgadvisor " << PGADVISOR_VERSION << "\n";
      return to_int(ExitCode::done);
    }
    std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "analyze")
      return to_int(run_analyze(args, in, out, err));
    if (command == "fingerprint")
      return to_int(run_fingerprint(args, in, out, err));
    if (command == "run")
      return to_int(run_run(args, out, err));
    if (command == "recommendations")
      return to_int(run_recommendations(args, out, err));
    err << "pgadvisor: unknown command '" << command << "'\n" << usage_text;
    return to_int(ExitCode::usage);
  } catch (const std::exception& e) {
    // Last line of defence: nothing may escape as a crash.
    err << "pgadvisor: internal error: " << e.what() << "\n";
    return to_int(ExitCode::failed);
  }
}

}  // namespace advisor
