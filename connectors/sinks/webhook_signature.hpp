#pragma once
// Standard Webhooks signing (https://www.standardwebhooks.com): the signature of a delivery is
// "v1," + base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")).

#include <optional>
#include <string>
#include <string_view>

#include "model/result.hpp"

namespace connectors::sinks {

//! The HMAC key of a secret as written by the operator: "whsec_<base64>" is the Standard
//! Webhooks form (the key is the decoded bytes); any other text is used as it is. Errors:
//! invalid_input for an empty secret or bad base64 after "whsec_" (the message never quotes it).
model::Result<std::string> signing_key(std::string_view secret);

//! "v1,<base64 HMAC-SHA256 of id.timestamp.body>" with the raw key (see signing_key()).
std::string sign(std::string_view key, std::string_view id, std::string_view timestamp, std::string_view body);

//! True when one of the space-separated signatures in `header` ("v1,abc= v1,def=") is the one
//! sign() gives. Compared in constant time.
bool verify(std::string_view key, std::string_view id, std::string_view timestamp, std::string_view body,
            std::string_view header);

//! A new delivery id, "msg_" + 32 hex digits from the system's CSPRNG.
std::string new_delivery_id();

std::string base64_encode(std::string_view bytes);
//! nullopt when `text` is not base64 (standard alphabet, padding optional).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace connectors::sinks
