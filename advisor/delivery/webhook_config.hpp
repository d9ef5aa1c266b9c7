#pragma once
// The delivery set-up from the [webhook] section and the [webhook.NAME] sections: the endpoints
// (the plain one named "webhook" in the outbox, the others NAME), their signing secrets, and
// the worker's timeouts and dead-letter age (from [webhook], shared by every endpoint).

#include <vector>

#include "advisor/config/config.hpp"
#include "advisor/delivery/delivery_worker.hpp"
#include "advisor/delivery/webhook_endpoint.hpp"
#include "connectors/sinks/webhook_secret.hpp"
#include "model/result.hpp"

namespace advisor::delivery {

struct WebhookSetup {
  std::vector<Endpoint> endpoints;  //!< "webhook" when webhook.url is set, then [webhook.NAME] in file order
  WorkerOptions options;
};

//! Reads webhook.url, .secret_file ("credential:NAME" for a systemd credential), .format,
//! .timeout (total; connect is the smaller of it and 5 s) and .max_age, then url, secret_file,
//! format, jira_project and jira_issue_type of every [webhook.NAME]. The json format must be
//! signed: it needs a secret (slack and jira may go without: their URL is the secret).
//! Errors (invalid_input/not_found) name the place ("pgadvisor.conf:31: ") when the setting has
//! one, and the key ("webhook.ops.secret_file: "), never the secret or the URL's path.
model::Result<WebhookSetup> webhook_setup(const config::Config& config, const connectors::sinks::Getenv& getenv = {});

}  // namespace advisor::delivery
