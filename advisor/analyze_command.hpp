#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "advisor/exit_code.hpp"

namespace advisor {

//! `pgadvisor analyze`: one query on a live database (--db), or a saved plan (--plan).
ExitCode run_analyze(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace advisor
