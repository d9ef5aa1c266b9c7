#pragma once
// One signed webhook POST through libcurl: TLS peer and host verification always on, redirects
// never followed, connect and total timeouts, only http(s). Plain http only to loopback
// (127.0.0.1, ::1, localhost) so that tests can run a receiver without a certificate.

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/result.hpp"

namespace connectors::sinks {

struct SenderOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{10000};
  //! A CA bundle to trust instead of the system's (a private CA); empty: the system store.
  std::string ca_file;
};

struct WebhookRequest {
  std::string url;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  //!< extra headers, name and value
};

struct WebhookResponse {
  long http_status = 0;                    //!< 0: no HTTP response
  std::optional<std::string> retry_after;  //!< the Retry-After header, when sent
  std::string error;                       //!< libcurl's reason when there was no response
};

//! nullopt when `url` may receive deliveries: https to any host, or http to a loopback host.
//! Otherwise invalid_input saying why (the message shows scheme and host only, never a path or
//! query, which may carry a token as in Slack URLs).
std::optional<model::Error> check_endpoint_url(const std::string& url);

//! The Standard Webhooks headers for one attempt: webhook-id, webhook-timestamp (Unix seconds)
//! and webhook-signature computed with `key` (see webhook_signature.hpp).
std::vector<std::pair<std::string, std::string>> signed_headers(const std::string& key, const std::string& delivery_id,
                                                                long long timestamp, const std::string& body);

//! POSTs once. Never throws and never retries: the retry policy decides what happens next.
//! A URL that check_endpoint_url() refuses is not contacted (status 0, the reason in error).
WebhookResponse post_webhook(const WebhookRequest& request, const SenderOptions& options);

}  // namespace connectors::sinks
