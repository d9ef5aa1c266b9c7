#include "advisor/config/config_render.hpp"

#include <ostream>
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

//! The commented example of named webhooks, shown after the [webhook] keys.
std::string named_webhooks_comment()
{
  std::string names;
  for (const KeySpec* key : webhook_section_keys())
    names += (names.empty() ? "" : ", ") + std::string(key->name);
  return "\n# More webhooks: one [webhook.NAME] section per receiver (NAME: a-z, 0-9, '_' or '-'),\n"
         "# each an endpoint of its own. Keys: " + names + ";\n"
         "# timeout and max_age of [webhook] apply to every endpoint.\n"
         "#[webhook.ops]\n"
         "#url = https://hooks.slack.com/services/T000/B000/XXXX\n"
         "#format = slack\n";
}

//! A webhook URL as shown: scheme and host only, since a path or query may be a token (Slack).
std::string shown_url(const std::string& url)
{
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    return url.empty() ? url : "(hidden)";
  const auto authority_begin = scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", authority_begin);
  std::string authority = url.substr(authority_begin, authority_end == std::string::npos
                                                          ? std::string::npos
                                                          : authority_end - authority_begin);
  const auto at = authority.rfind('@');
  if (at != std::string::npos)
    authority = authority.substr(at + 1);  // user:password@
  std::string shown = url.substr(0, authority_begin) + authority;
  if (authority_end != std::string::npos)
    shown += "/...";
  return shown;
}

void print_setting(std::ostream& out, const KeySpec& key, const Setting& setting)
{
  const bool is_url = key.section == "webhook" && key.name == "url";
  out << key.name << " = " << (is_url ? shown_url(setting.value) : setting.value) << "    # "
      << to_string(setting.source);
  if (!setting.origin.empty())
    out << " " << setting.origin;
  out << "\n";
}

void print_named_webhooks(std::ostream& out, const Config& config)
{
  for (const auto& webhook : config.webhooks) {
    out << "\n[webhook." << webhook.name << "]    # " << to_string(webhook.source) << " " << webhook.origin << "\n";
    for (const KeySpec* key : webhook_section_keys())
      print_setting(out, *key, webhook.settings.at(std::string(key->name)));
  }
}

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
      if (section == "webhook")
        out << named_webhooks_comment();
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
  if (section == "webhook")
    out << named_webhooks_comment();
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
      if (section == "webhook")
        print_named_webhooks(out, config);
      section = std::string(key.section);
      out << "\n[" << section << "]\n";
    }
    print_setting(out, key, config.settings.at(full_name(key)));
  }
  if (section == "webhook")
    print_named_webhooks(out, config);
  return out.str();
}

}  // namespace advisor::config
