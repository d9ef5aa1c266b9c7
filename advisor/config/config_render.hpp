#pragma once
// Text generated from the key table: the example config file, the key list of `run --help`,
// and `--show-config`.

#include <string>

#include "advisor/config/config.hpp"

namespace advisor::config {

//! The example configuration: every key, commented out at its default, with its description,
//! and a commented [webhook.NAME] example.
//! systemd/pgadvisor.conf.example is exactly this text (a test checks it).
std::string example_config();

//! One line per key for --help: "daemon.interval (duration, default 60s, reloadable): …".
std::string keys_help();

//! The effective settings in INI form, each with where it came from, [webhook.NAME] sections
//! after [webhook]; target connection strings have their passwords hidden, webhook URLs show
//! only scheme and host (a path may be a token).
std::string show_config(const Config& config);

}  // namespace advisor::config
