#pragma once
// Runs the pgadvisor command line in-process, as main() would, capturing its output.

#include <sstream>
#include <string>
#include <vector>

#include "advisor/cli.hpp"

namespace test_support {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline CliRun run(std::vector<std::string> args, const std::string& input = {})
{
  args.insert(args.begin(), "pgadvisor");
  std::vector<const char*> argv;
  for (const auto& arg : args)
    argv.push_back(arg.c_str());
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  CliRun result;
  result.exit_code = advisor::run_cli(static_cast<int>(argv.size()), argv.data(), in, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

}  // namespace test_support
