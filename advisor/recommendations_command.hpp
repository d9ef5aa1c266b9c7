#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "advisor/exit_code.hpp"

namespace advisor {

//! `pgadvisor recommendations`: lists the filed recommendations from the daemon's store
//! (--status, --format), or marks one dismissed (--dismiss ID) so it is not filed again, or
//! lists the webhook outbox (--deliveries, filtered by --status STATE).
ExitCode run_recommendations(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace advisor
