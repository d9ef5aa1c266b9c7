#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "advisor/exit_code.hpp"

namespace advisor {

//! `pgadvisor run`: the daemon (see advisor/daemon/daemon.hpp), or with --check-config,
//! --show-config, --print-example-config a look at the configuration without running.
ExitCode run_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

//! The config file `run` and `recommendations` read when --config is not given.
inline constexpr const char* default_config_file = "/etc/pgadvisor/pgadvisor.conf";

}  // namespace advisor
