#pragma once
// SIGHUP: the new configuration, or nothing when the file is bad (logged; the old one stays).
// Keys that are not reloadable keep their running value, with a log line saying so.

#include <optional>

#include "advisor/config/config.hpp"
#include "advisor/daemon/log.hpp"

namespace advisor::daemon {

std::optional<config::Config> reload_config(const config::Config& running, const config::ConfigSources& sources,
                                            Log& log);

}  // namespace advisor::daemon
