#pragma once
// The delivery set-up from the [webhook] section: the endpoint (named "webhook" in the outbox),
// its signing secret, and the worker's timeouts and dead-letter age.

#include <vector>

#include "advisor/config/config.hpp"
#include "advisor/delivery/delivery_worker.hpp"
#include "advisor/delivery/webhook_endpoint.hpp"
#include "connectors/sinks/webhook_secret.hpp"
#include "model/result.hpp"

namespace advisor::delivery {

struct WebhookSetup {
  std::vector<Endpoint> endpoints;  //!< empty when webhook.url is empty
  WorkerOptions options;
};

//! Reads webhook.url, .secret_file ("credential:NAME" for a systemd credential), .format,
//! .timeout (total; connect is the smaller of it and 5 s) and .max_age. The json format must
//! be signed: it needs a secret (slack and jira may go without: their URL is the secret).
//! Errors (invalid_input/not_found) name the key, never the secret or the URL's path.
model::Result<WebhookSetup> webhook_setup(const config::Config& config, const connectors::sinks::Getenv& getenv = {});

}  // namespace advisor::delivery
