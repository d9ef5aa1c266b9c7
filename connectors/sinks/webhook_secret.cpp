#include "connectors/sinks/webhook_secret.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <unistd.h>

#include "connectors/sinks/webhook_signature.hpp"

namespace connectors::sinks {

namespace {

constexpr std::size_t max_secret_bytes = 64 * 1024;

void wipe(std::string& text)
{
  if (!text.empty())
    OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

model::Result<std::string> read_secret_file(const std::string& path)
{
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    const auto kind = error == ENOENT ? model::ErrorKind::not_found : model::ErrorKind::server;
    return model::make_error(kind, "webhook secret " + path + ": " + std::strerror(error));
  }
  std::string content;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      OPENSSL_cleanse(buffer, sizeof buffer);
      wipe(content);
      return model::make_error(model::ErrorKind::server, "webhook secret " + path + ": " + std::strerror(error));
    }
    if (n == 0)
      break;
    content.append(buffer, static_cast<std::size_t>(n));
    if (content.size() > max_secret_bytes)
      break;
  }
  ::close(fd);
  OPENSSL_cleanse(buffer, sizeof buffer);
  if (content.size() > max_secret_bytes) {
    wipe(content);
    return model::make_error(model::ErrorKind::invalid_input, "webhook secret " + path + ": larger than 64 KiB");
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r' || content.back() == ' ' ||
                              content.back() == '\t'))
    content.pop_back();
  if (content.empty())
    return model::make_error(model::ErrorKind::invalid_input, "webhook secret " + path + ": empty");
  return content;
}

}  // namespace

SecretSource secret_source_from_setting(const std::string& setting)
{
  constexpr std::string_view prefix = "credential:";
  if (setting.compare(0, prefix.size(), prefix) == 0)
    return {{}, setting.substr(prefix.size())};
  return {setting, {}};
}

WebhookSecret& WebhookSecret::operator=(WebhookSecret&& other) noexcept
{
  if (this != &other) {
    wipe(m_key);
    m_key = std::move(other.m_key);
    other.m_key.clear();
  }
  return *this;
}

WebhookSecret::~WebhookSecret()
{
  wipe(m_key);
}

model::Result<WebhookSecret> load_secret(const SecretSource& source, const Getenv& getenv)
{
  if (source.file.empty() == source.credential.empty())
    return model::make_error(model::ErrorKind::invalid_input,
                             "webhook secret: give either a file or a systemd credential name");
  std::string path = source.file;
  if (!source.credential.empty()) {
    if (source.credential.find('/') != std::string::npos || source.credential == "." || source.credential == "..")
      return model::make_error(model::ErrorKind::invalid_input,
                               "webhook secret: credential name \"" + source.credential + "\" is not a plain name");
    std::optional<std::string> directory;
    if (getenv) {
      directory = getenv("CREDENTIALS_DIRECTORY");
    } else if (const char* value = std::getenv("CREDENTIALS_DIRECTORY")) {
      directory = value;
    }
    if (!directory || directory->empty())
      return model::make_error(model::ErrorKind::not_found,
                               "webhook secret: credential \"" + source.credential +
                                   "\" asked for, but $CREDENTIALS_DIRECTORY is not set",
                               "add LoadCredential=" + source.credential + ":/path/to/secret to the unit");
    path = *directory + "/" + source.credential;
  }
  auto text = read_secret_file(path);
  if (!text)
    return text.error();
  auto key = signing_key(*text);
  wipe(*text);
  if (!key) {
    auto error = key.error();
    error.message = "webhook secret " + path + ": " + error.message.substr(error.message.find(':') + 2);
    return error;
  }
  return WebhookSecret(std::move(*key));
}

}  // namespace connectors::sinks
