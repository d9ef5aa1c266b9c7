#pragma once
// The daemon's configuration: an INI file read with Boost.Program_options against the key
// table, then environment variables (PGADVISOR_<SECTION>_<KEY>), then command-line overrides
// (`--set section.key=value`). Every value remembers where it came from.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advisor/config/config_keys.hpp"
#include "model/result.hpp"

namespace advisor::config {

enum class Source { default_value, file, environment, flag };

const char* to_string(Source source);

struct Setting {
  std::string value;  //!< as written (trimmed)
  Source source = Source::default_value;
  std::string origin;  //!< "pgadvisor.conf:12", "PGADVISOR_DAEMON_INTERVAL", "--set"; empty for defaults
};

//! One watched database. The conninfo may hold a password: log only redact_conninfo() of it.
struct Target {
  std::string name;
  std::string conninfo;
  std::string origin;  //!< "pgadvisor.conf:20"
};

//! A named section such as [webhook.ops]: one more webhook endpoint, named "ops".
struct NamedSection {
  std::string name;    //!< "ops"
  std::string origin;  //!< the header's "pgadvisor.conf:30"; "--set" when only flags made it
  std::map<std::string, Setting> settings;  //!< every key of webhook_section_keys(), by name ("url")
  Source source = Source::file;  //!< what declared the section: its header in the file, or a flag

  //! The value of key `name` ("url"); throws std::out_of_range for a key the section cannot have.
  const std::string& text(std::string_view name) const;
};

struct Config {
  std::string file;  //!< the file read, empty when none
  std::map<std::string, Setting> settings;  //!< every key of the table, by "section.name"
  std::vector<Target> targets;              //!< in file order

  // Typed reads of a key of the table. The values were checked when loaded, so these only
  // throw (std::out_of_range) for a key name that is not in the table: a programming error.
  const std::string& text(std::string_view key) const;
  std::chrono::milliseconds duration(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  double number(std::string_view key) const;
  bool boolean(std::string_view key) const;

  std::vector<NamedSection> webhooks;  //!< [webhook.NAME] sections, in file order, names unique
};

//! The keys a [webhook.NAME] section may hold: those of [webhook] except timeout and max_age
//! (one delivery worker serves every endpoint), and jira_project/jira_issue_type for the jira
//! format. Their section is "webhook"; defaults and checks are those of the plain keys.
std::vector<const KeySpec*> webhook_section_keys();

struct ConfigSources {
  std::optional<std::string> file;  //!< INI file; none: defaults, environment and flags only
  //! Reads an environment variable; tests pass their own. Default: std::getenv.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::vector<std::string> overrides;  //!< "daemon.interval=10s", from --set
};

//! The environment variable that overrides a key: PGADVISOR_DAEMON_INTERVAL.
std::string environment_name(std::string_view section, std::string_view name);

//! Reads and checks the configuration. An unknown key, a bad value (auto_apply.kinds and
//! auto_apply.window are parsed as the daemon will), a duplicate, a bad target or webhook name,
//! a [webhook.NAME] without url or a syntax error is ErrorKind::invalid_input with
//! "FILE:LINE: key: what is wrong"; a file that cannot be read is ErrorKind::not_found.
//! [webhook.NAME] keys come from the file or from --set (webhook.NAME.url=…), not from the
//! environment.
model::Result<Config> load_config(const ConfigSources& sources);

}  // namespace advisor::config
