#pragma once
// `pgadvisor run`: the daemon's main loop. Loads the config and the store, says READY, then
// runs a cycle over every target each interval; pings the watchdog at half its period;
// SIGHUP reloads (a bad file is logged and the old config kept); SIGTERM finishes or abandons
// the cycle within daemon.shutdown_timeout, says STOPPING and exits 0.

#include <iosfwd>
#include <string>
#include <vector>

#include "advisor/config/config.hpp"
#include "advisor/exit_code.hpp"

namespace advisor::daemon {

struct DaemonOptions {
  config::ConfigSources sources;
  bool once = false;  //!< one cycle over every target, write the file, exit
};

//! Runs until SIGTERM/SIGINT (or after one cycle with `once`). Exit: done (0) on a clean stop,
//! usage (2) for a bad config at start-up, failed (1) when the store cannot be opened.
ExitCode run_daemon(const DaemonOptions& options, std::ostream& err);

}  // namespace advisor::daemon
