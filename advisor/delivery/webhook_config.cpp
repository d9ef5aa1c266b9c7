#include "advisor/delivery/webhook_config.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

namespace advisor::delivery {

model::Result<WebhookSetup> webhook_setup(const config::Config& config, const connectors::sinks::Getenv& getenv)
{
  WebhookSetup setup;
  const auto timeout = config.duration("webhook.timeout");
  setup.options.sender.total_timeout = timeout;
  setup.options.sender.connect_timeout = std::min<std::chrono::milliseconds>(timeout, std::chrono::seconds(5));
  setup.options.policy.max_age_s = std::chrono::duration<double>(config.duration("webhook.max_age")).count();

  const std::string& url = config.text("webhook.url");
  if (url.empty())
    return setup;

  Endpoint endpoint;
  endpoint.name = "webhook";
  endpoint.url = url;
  const auto format = parse_payload_format(config.text("webhook.format"));
  if (!format)
    return model::make_error(model::ErrorKind::invalid_input, "webhook.format: expected json, slack or jira");
  endpoint.format = *format;

  const std::string& secret_setting = config.text("webhook.secret_file");
  if (!secret_setting.empty()) {
    auto secret = connectors::sinks::load_secret(connectors::sinks::secret_source_from_setting(secret_setting), getenv);
    if (!secret) {
      auto error = secret.error();
      error.message = "webhook.secret_file: " + error.message;
      return error;
    }
    endpoint.secret = std::make_shared<const connectors::sinks::WebhookSecret>(std::move(*secret));
  } else if (endpoint.format == PayloadFormat::json) {
    return model::make_error(model::ErrorKind::invalid_input,
                             "webhook.secret_file: required with format json (deliveries are signed)",
                             "point it at a file holding the secret, or credential:NAME with LoadCredential=");
  }
  setup.endpoints.push_back(std::move(endpoint));
  if (auto error = check_endpoints(setup.endpoints))
    return *error;
  return setup;
}

}  // namespace advisor::delivery
