#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "advisor/exit_code.hpp"

namespace advisor {

//! `pgadvisor fingerprint QUERY|-f FILE|-`: fingerprint and normalised text, no database.
ExitCode run_fingerprint(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace advisor
