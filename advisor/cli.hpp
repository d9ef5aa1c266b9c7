#pragma once

#include <iosfwd>

namespace advisor {

//! Runs one pgadvisor command line. Results go to `out`, diagnostics to `err`; returns the
//! process exit code (see exit_code.hpp). Never throws.
int run_cli(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err);

inline int run_cli(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err)
{
  return run_cli(argc, const_cast<const char* const*>(argv), in, out, err);
}

}  // namespace advisor
