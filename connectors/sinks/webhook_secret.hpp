#pragma once
// The webhook signing secret, read from a file or a systemd credential
// ($CREDENTIALS_DIRECTORY/<name>, from LoadCredential=). It lives only in memory: no error
// message, log line or store row ever contains it, and its memory is wiped when dropped.

#include <functional>
#include <optional>
#include <string>

#include "model/result.hpp"

namespace connectors::sinks {

struct SecretSource {
  std::string file;        //!< a path; or
  std::string credential;  //!< a systemd credential name, looked up in $CREDENTIALS_DIRECTORY
};

//! "credential:NAME" names a systemd credential, anything else is a file path (the form of
//! [webhook] secret_file).
SecretSource secret_source_from_setting(const std::string& setting);

//! The signing key (see signing_key() in webhook_signature.hpp). Move-only; wiped on destruction.
class WebhookSecret {
public:
  explicit WebhookSecret(std::string key) : m_key(std::move(key)) {}
  WebhookSecret(WebhookSecret&& other) noexcept : m_key(std::move(other.m_key)) { other.m_key.clear(); }
  WebhookSecret& operator=(WebhookSecret&& other) noexcept;
  WebhookSecret(const WebhookSecret&) = delete;
  WebhookSecret& operator=(const WebhookSecret&) = delete;
  ~WebhookSecret();

  const std::string& key() const { return m_key; }

private:
  std::string m_key;
};

using Getenv = std::function<std::optional<std::string>(const std::string&)>;

//! Reads the secret (trailing newline and spaces removed). Errors, naming the path only:
//! not_found (no such file, or a credential without $CREDENTIALS_DIRECTORY), invalid_input
//! (both or neither source given, a credential name with '/', an empty or oversized file, bad
//! whsec_ base64), server (unreadable). `getenv` defaults to std::getenv.
model::Result<WebhookSecret> load_secret(const SecretSource& source, const Getenv& getenv = {});

}  // namespace connectors::sinks
