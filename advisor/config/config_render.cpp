#include "advisor/config/config_render.hpp"

#include <sstream>

#include "advisor/config/config_keys.hpp"
#include "connectors/postgres/conninfo.hpp"

namespace advisor::config {

namespace {

std::string type_text(const KeySpec& key)
{
  if (key.type == KeyType::choice)
    return std::string(key.choices);
  return to_string(key.type);
}

const char* const targets_comment =
    "# One line per watched database: name = libpq conninfo or postgresql:// URL. Each target\n"
    "# is isolated: one that is down never stops the others. Passwords belong in the pgpass\n"
    "# file (LoadCredential=pgpass, PGPASSFILE), never here.\n";

}  // namespace

std::string example_config()
{
  std::ostringstream out;
  out << "# pgadvisor configuration. Generated from the key table by\n"
         "#   pgadvisor run --print-example-config\n"
         "# Every key is shown commented out at its default. Reloadable keys take effect on\n"
         "# SIGHUP (systemctl reload pgadvisor); the others need a restart. Each key can also be\n"
         "# set with an environment variable PGADVISOR_<SECTION>_<KEY>.\n";
  std::string section;
  for (const auto& key : key_table()) {
    if (key.section != section) {
      section = std::string(key.section);
      out << "\n[" << section << "]\n";
    }
    out << "# " << key.description << " (" << type_text(key) << (key.reloadable ? "" : "; restart to change")
        << ")\n";
    out << "#" << key.name << " = " << key.default_value << "\n";
    if (section == "daemon" && key.name == "hourly_retention") {
      // [targets] sits after [daemon] in the design's layout.
      out << "\n[targets]\n" << targets_comment << "#prod = postgresql://advisor@db1/app?sslmode=verify-full\n";
      section = "targets";
    }
  }
  return out.str();
}

std::string keys_help()
{
  std::ostringstream out;
  for (const auto& key : key_table()) {
    out << "  " << full_name(key) << " (" << type_text(key) << ", default '" << key.default_value << "'"
        << (key.reloadable ? ", reloadable" : "") << ")\n      " << key.description << "\n";
  }
  return out.str();
}

std::string show_config(const Config& config)
{
  std::ostringstream out;
  out << "# effective configuration" << (config.file.empty() ? "" : " (file " + config.file + ")") << "\n";
  std::string section;
  auto print_targets = [&] {
    out << "\n[targets]\n";
    for (const auto& target : config.targets)
      out << target.name << " = " << connectors::pg::redact_conninfo(target.conninfo) << "    # file "
          << target.origin << "\n";
  };
  for (const auto& key : key_table()) {
    if (key.section != section) {
      if (section == "daemon")
        print_targets();
      section = std::string(key.section);
      out << "\n[" << section << "]\n";
    }
    const auto& setting = config.settings.at(full_name(key));
    out << key.name << " = " << setting.value << "    # " << to_string(setting.source);
    if (!setting.origin.empty())
      out << " " << setting.origin;
    out << "\n";
  }
  return out.str();
}

}  // namespace advisor::config
