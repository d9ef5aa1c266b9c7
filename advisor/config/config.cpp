#include "advisor/config/config.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <boost/program_options.hpp>

#include "advisor/config/config_keys.hpp"
#include "advisor/config/config_values.hpp"

namespace advisor::config {

namespace po = boost::program_options;

namespace {

struct Located {
  std::string key;  //!< "section.name"; for a [webhook.NAME] header, NAME
  int line = 0;
};

struct LocatedFile {
  std::vector<Located> keys;
  std::vector<Located> webhooks;  //!< [webhook.NAME] headers, in file order
};

const std::string_view webhook_prefix = "webhook.";

bool valid_name(std::string_view name)
{
  if (name.empty() || name.size() > 63)
    return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_' && c != '-')
      return false;
  return true;
}

//! NAME is [a-z0-9_-]+: it is stored in the outbox and shown in reports as is.
bool valid_webhook_name(std::string_view name)
{
  if (!valid_name(name))
    return false;
  for (unsigned char c : name)
    if (std::isupper(c))
      return false;
  return true;
}

//! Where each key sits in the file, for messages; Program_options does not keep line numbers.
//! Also catches what it would only report without a line: syntax errors, duplicates, and
//! [webhook.NAME] headers with a bad or repeated name.
model::Result<LocatedFile> locate_keys(const std::string& file, std::istream& in)
{
  LocatedFile found;
  std::set<std::string> seen;
  std::string section;
  std::string raw;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    std::string text = raw.substr(0, raw.find('#'));
    text = trim(text);
    if (text.empty())
      continue;
    const std::string where = file + ":" + std::to_string(line) + ": ";
    if (text.front() == '[') {
      if (text.back() != ']')
        return model::make_error(model::ErrorKind::invalid_input, where + "malformed section header '" + text + "'");
      section = trim(std::string_view(text).substr(1, text.size() - 2));
      if (!section.starts_with(webhook_prefix))
        continue;
      const std::string name = section.substr(webhook_prefix.size());
      if (!valid_webhook_name(name) || name == "webhook")
        return model::make_error(model::ErrorKind::invalid_input,
                                 where + section + ": a webhook name is a-z, 0-9, '_' or '-' (at most 63), not 'webhook'");
      for (const auto& earlier : found.webhooks)
        if (earlier.key == name)
          return model::make_error(model::ErrorKind::invalid_input,
                                   where + section + ": a second [" + section + "] (the first is at line " +
                                       std::to_string(earlier.line) + ")");
      found.webhooks.push_back({name, line});
      continue;
    }
    const auto eq = text.find('=');
    if (eq == std::string::npos)
      return model::make_error(model::ErrorKind::invalid_input, where + "expected 'key = value', got '" + text + "'");
    const std::string name = trim(std::string_view(text).substr(0, eq));
    if (name.empty())
      return model::make_error(model::ErrorKind::invalid_input, where + "a key name is missing before '='");
    const std::string key = section.empty() ? name : section + "." + name;
    if (!seen.insert(key).second)
      return model::make_error(model::ErrorKind::invalid_input, where + key + ": set twice");
    found.keys.push_back({key, line});
  }
  return found;
}

int line_of(const std::vector<Located>& located, const std::string& key)
{
  for (const auto& item : located)
    if (item.key == key)
      return item.line;
  return 0;
}

model::Error config_error(const std::string& where, const std::string& key, const std::string& what)
{
  return model::make_error(model::ErrorKind::invalid_input, where + ": " + key + ": " + what,
                           "see pgadvisor run --print-example-config for every key");
}

//! The key table's entry for a [webhook.NAME] key, or nullptr.
const KeySpec* webhook_section_key(std::string_view name)
{
  for (const KeySpec* key : webhook_section_keys())
    if (key->name == name)
      return key;
  return nullptr;
}

NamedSection new_webhook(std::string name, std::string origin, Source source)
{
  NamedSection section{std::move(name), std::move(origin), {}, source};
  for (const KeySpec* key : webhook_section_keys())
    section.settings[std::string(key->name)] = Setting{std::string(key->default_value), Source::default_value, {}};
  return section;
}

//! Applies "webhook.NAME.key = value"; the file declared its sections already, a flag may add one.
std::optional<model::Error> apply_webhook(Config& config, const std::string& name, const std::string& key_name,
                                          const std::string& value, Source source, const std::string& where)
{
  const std::string key = std::string(webhook_prefix) + name + "." + key_name;
  if (!valid_webhook_name(name) || name == "webhook")
    return config_error(where, key, "a webhook name is a-z, 0-9, '_' or '-' (at most 63), not 'webhook'");
  const KeySpec* spec = webhook_section_key(key_name);
  if (!spec)
    return config_error(where, key,
                        key_name == "timeout" || key_name == "max_age"
                            ? "unknown key (timeout and max_age are set once, in [webhook], for every endpoint)"
                            : "unknown key");
  if (auto problem = check_value(*spec, value))
    return config_error(where, key, "bad value '" + value + "': " + *problem);
  auto it = std::find_if(config.webhooks.begin(), config.webhooks.end(),
                         [&](const NamedSection& section) { return section.name == name; });
  if (it == config.webhooks.end()) {
    config.webhooks.push_back(new_webhook(name, where, source));
    it = std::prev(config.webhooks.end());
  }
  it->settings[key_name] = Setting{value, source, where};
  return std::nullopt;
}

//! Applies one "section.name = value" to `config`; an error names `where`.
std::optional<model::Error> apply(Config& config, const std::string& key, const std::string& value,
                                  Source source, const std::string& where)
{
  if (key.starts_with(webhook_prefix)) {
    const std::string rest = key.substr(webhook_prefix.size());
    const auto second_dot = rest.find('.');
    // Environment names come from the key table only, so a named webhook is from the file or --set.
    if (second_dot != std::string::npos)
      return apply_webhook(config, rest.substr(0, second_dot), rest.substr(second_dot + 1), value, source, where);
  }
  const auto dot = key.find('.');
  const std::string section = dot == std::string::npos ? std::string() : key.substr(0, dot);
  const std::string name = dot == std::string::npos ? key : key.substr(dot + 1);
  if (section == "targets" && source == Source::file) {
    if (!valid_name(name))
      return config_error(where, key, "a target name is letters, digits, '_' or '-' (at most 63)");
    if (value.empty())
      return config_error(where, key, "the target's connection string is empty");
    config.targets.push_back({name, value, where});
    return std::nullopt;
  }
  const KeySpec* spec = find_key(section, name);
  if (!spec)
    return config_error(where, key, section == "targets" ? "targets come from the file only"
                                                         : "unknown key");
  if (auto problem = check_value(*spec, value))
    return config_error(where, key, "bad value '" + value + "': " + *problem);
  config.settings[key] = Setting{value, source, where};
  return std::nullopt;
}

std::optional<model::Error> read_file(Config& config, const std::string& file)
{
  std::ifstream in(file);
  if (!in)
    return model::make_error(model::ErrorKind::not_found, "cannot read the config file " + file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();

  std::istringstream scan(content);
  auto located = locate_keys(file, scan);
  if (!located)
    return located.error();

  // The key table is the parser's option list; [targets] names are free-form (unregistered).
  po::options_description options;
  for (const auto& spec : key_table())
    options.add_options()(full_name(spec).c_str(), po::value<std::string>(), std::string(spec.description).c_str());
  std::istringstream parse_in(content);
  po::parsed_options parsed(&options);
  try {
    parsed = po::parse_config_file(parse_in, options, true);
  } catch (const po::error& e) {
    return model::make_error(model::ErrorKind::invalid_input, file + ": " + e.what());
  }
  for (const auto& header : located->webhooks)
    config.webhooks.push_back(new_webhook(header.key, file + ":" + std::to_string(header.line), Source::file));
  for (const auto& option : parsed.options) {
    const std::string where = file + ":" + std::to_string(line_of(located->keys, option.string_key));
    const std::string value = option.value.empty() ? std::string() : trim(option.value.front());
    if (auto error = apply(config, option.string_key, value, Source::file, where))
      return error;
  }
  return std::nullopt;
}

}  // namespace

std::vector<const KeySpec*> webhook_section_keys()
{
  // The jira keys are ours until the key table has them for the plain [webhook] too.
  static constexpr std::array jira_keys{
      KeySpec{"webhook", "jira_project", KeyType::string, "DBA", true, "format jira: the project key of the issues"},
      KeySpec{"webhook", "jira_issue_type", KeyType::string, "Task", true, "format jira: the issue type"},
  };
  std::vector<const KeySpec*> keys;
  for (const auto& key : key_table())
    if (key.section == "webhook" && key.name != "timeout" && key.name != "max_age")
      keys.push_back(&key);
  for (const auto& key : jira_keys)
    if (!find_key(key.section, key.name))
      keys.push_back(&key);
  return keys;
}

const char* to_string(Source source)
{
  switch (source) {
  case Source::default_value: return "default";
  case Source::file: return "file";
  case Source::environment: return "environment";
  case Source::flag: return "flag";
  }
  return "unknown";
}

std::string environment_name(std::string_view section, std::string_view name)
{
  std::string out = "PGADVISOR_";
  for (char c : std::string(section) + "_" + std::string(name))
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

model::Result<Config> load_config(const ConfigSources& sources)
{
  Config config;
  for (const auto& spec : key_table())
    config.settings[full_name(spec)] = Setting{std::string(spec.default_value), Source::default_value, {}};

  if (sources.file) {
    config.file = *sources.file;
    if (auto error = read_file(config, *sources.file))
      return *error;
  }

  auto getenv = sources.getenv;
  if (!getenv)
    getenv = [](const std::string& name) -> std::optional<std::string> {
      const char* value = std::getenv(name.c_str());
      return value ? std::optional<std::string>(value) : std::nullopt;
    };
  for (const auto& spec : key_table()) {
    const std::string variable = environment_name(spec.section, spec.name);
    if (auto value = getenv(variable))
      if (auto error = apply(config, full_name(spec), trim(*value), Source::environment, variable))
        return *error;
  }

  for (const auto& item : sources.overrides) {
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      return model::make_error(model::ErrorKind::invalid_input,
                               "--set " + item + ": expected section.key=value");
    if (auto error = apply(config, trim(item.substr(0, eq)), trim(item.substr(eq + 1)), Source::flag, "--set"))
      return *error;
  }
  for (const auto& webhook : config.webhooks)
    if (webhook.text("url").empty())
      return config_error(webhook.origin, std::string(webhook_prefix) + webhook.name + ".url",
                          "required in a [webhook.NAME] section");
  return config;
}

const std::string& Config::text(std::string_view key) const
{
  const auto it = settings.find(std::string(key));
  if (it == settings.end())
    throw std::out_of_range("no configuration key " + std::string(key));
  return it->second.value;
}

std::chrono::milliseconds Config::duration(std::string_view key) const
{
  return parse_duration(text(key)).value_or(std::chrono::milliseconds(0));
}

std::int64_t Config::integer(std::string_view key) const { return parse_integer(text(key)).value_or(0); }

double Config::number(std::string_view key) const { return parse_number(text(key)).value_or(0); }

bool Config::boolean(std::string_view key) const { return parse_boolean(text(key)).value_or(false); }

const std::string& NamedSection::text(std::string_view key) const
{
  const auto it = settings.find(std::string(key));
  if (it == settings.end())
    throw std::out_of_range("no key " + std::string(key) + " in [webhook." + name + "]");
  return it->second.value;
}

}  // namespace advisor::config
