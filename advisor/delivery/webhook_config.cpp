#include "advisor/delivery/webhook_config.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>

namespace advisor::delivery {

namespace {

//! The settings of one endpoint's section: the plain [webhook] or a [webhook.NAME].
struct SectionView {
  std::string name;    //!< the endpoint's name
  std::string prefix;  //!< "webhook." or "webhook.ops.", for messages
  std::string origin;  //!< the section header's place, for a key left at its default
  std::function<const config::Setting*(const std::string&)> setting;  //!< nullptr when the key is absent

  const std::string& text(const std::string& key) const
  {
    static const std::string empty;
    const auto* found = setting(key);
    return found ? found->value : empty;
  }
};

//! "pgadvisor.conf:31: webhook.ops.format: what", or without the place when it has none.
model::Error section_error(const SectionView& section, const std::string& key, model::Error error)
{
  const auto* found = section.setting(key);
  const std::string& origin = found && !found->origin.empty() ? found->origin : section.origin;
  const std::string place = origin.empty() ? std::string() : origin + ": ";
  error.message = place + section.prefix + key + ": " + error.message;
  return error;
}

model::Result<Endpoint> make_endpoint(const SectionView& section, const connectors::sinks::Getenv& getenv)
{
  Endpoint endpoint;
  endpoint.name = section.name;
  endpoint.url = section.text("url");
  const auto format = parse_payload_format(section.text("format"));
  if (!format)
    return section_error(section, "format",
                         model::make_error(model::ErrorKind::invalid_input, "expected json, slack or jira"));
  endpoint.format = *format;
  if (const auto* project = section.setting("jira_project"))
    endpoint.jira.project_key = project->value;
  if (const auto* issue_type = section.setting("jira_issue_type"))
    endpoint.jira.issue_type = issue_type->value;

  const std::string& secret_setting = section.text("secret_file");
  if (!secret_setting.empty()) {
    auto secret = connectors::sinks::load_secret(connectors::sinks::secret_source_from_setting(secret_setting), getenv);
    if (!secret)
      return section_error(section, "secret_file", secret.error());
    endpoint.secret = std::make_shared<const connectors::sinks::WebhookSecret>(std::move(*secret));
  } else if (endpoint.format == PayloadFormat::json) {
    return section_error(section, "secret_file",
                         model::make_error(model::ErrorKind::invalid_input,
                                           "required with format json (deliveries are signed)",
                                           "point it at a file holding the secret, or credential:NAME with "
                                           "LoadCredential="));
  }
  // One endpoint at a time, so that a refused URL is reported at its own line.
  if (auto refused = check_endpoints({endpoint})) {
    const auto* url = section.setting("url");
    if (url && !url->origin.empty())
      refused->message = url->origin + ": " + refused->message;
    return *refused;
  }
  return endpoint;
}

}  // namespace

model::Result<WebhookSetup> webhook_setup(const config::Config& config, const connectors::sinks::Getenv& getenv)
{
  WebhookSetup setup;
  const auto timeout = config.duration("webhook.timeout");
  setup.options.sender.total_timeout = timeout;
  setup.options.sender.connect_timeout = std::min<std::chrono::milliseconds>(timeout, std::chrono::seconds(5));
  setup.options.policy.max_age_s = std::chrono::duration<double>(config.duration("webhook.max_age")).count();

  std::vector<SectionView> sections;
  if (!config.text("webhook.url").empty())
    sections.push_back({"webhook", "webhook.", {}, [&config](const std::string& key) -> const config::Setting* {
                          const auto it = config.settings.find("webhook." + key);
                          return it == config.settings.end() ? nullptr : &it->second;
                        }});
  for (const auto& named : config.webhooks)
    sections.push_back({named.name, "webhook." + named.name + ".", named.origin,
                        [&named](const std::string& key) -> const config::Setting* {
                          const auto it = named.settings.find(key);
                          return it == named.settings.end() ? nullptr : &it->second;
                        }});

  for (const auto& section : sections) {
    auto endpoint = make_endpoint(section, getenv);
    if (!endpoint)
      return endpoint.error();
    setup.endpoints.push_back(std::move(*endpoint));
  }
  if (auto error = check_endpoints(setup.endpoints))
    return *error;
  return setup;
}

}  // namespace advisor::delivery
