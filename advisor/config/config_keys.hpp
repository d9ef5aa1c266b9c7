#pragma once
// The one table of configuration keys. The INI parser, `run --help`, `--show-config` and
// systemd/pgadvisor.conf.example are all generated from it, so they cannot drift apart.

#include <span>
#include <string>
#include <string_view>

namespace advisor::config {

enum class KeyType {
  string,    //!< free text
  path,      //!< a file system path
  duration,  //!< "500ms", "60s", "5m", "2h", "7d"; a bare number is seconds
  integer,   //!< a non-negative whole number; "k", "M", "G" suffixes allowed (1024-based)
  number,    //!< a non-negative decimal number
  boolean,   //!< on/off, true/false, yes/no, 1/0
  choice,    //!< one of the words in KeySpec::choices
};

const char* to_string(KeyType type);

struct KeySpec {
  std::string_view section;  //!< "daemon"
  std::string_view name;     //!< "interval"
  KeyType type;
  std::string_view default_value;  //!< as written in the file
  bool reloadable;                 //!< SIGHUP applies it; otherwise it needs a restart
  std::string_view description;    //!< one line
  std::string_view choices = {};   //!< for KeyType::choice: "json|slack|jira"
};

//! Every key of every section except [targets] (free-form names), in file order.
std::span<const KeySpec> key_table();

//! The key "section.name", or nullptr when there is none.
const KeySpec* find_key(std::string_view section, std::string_view name);

//! "daemon.interval"
std::string full_name(const KeySpec& key);

}  // namespace advisor::config
