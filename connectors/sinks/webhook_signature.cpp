#include "connectors/sinks/webhook_signature.hpp"

#include <array>
#include <cstdint>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdexcept>

namespace connectors::sinks {

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int decode_char(char c)
{
  const auto position = alphabet.find(c);
  return position == std::string_view::npos ? -1 : static_cast<int>(position);
}

}  // namespace

std::string base64_encode(std::string_view bytes)
{
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8) | std::uint8_t(bytes[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    const std::uint32_t n = std::uint8_t(bytes[i]) << 16;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const std::uint32_t n = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text)
{
  while (!text.empty() && text.back() == '=')
    text.remove_suffix(1);
  if (text.size() % 4 == 1)
    return std::nullopt;
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = decode_char(c);
    if (value < 0)
      return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

model::Result<std::string> signing_key(std::string_view secret)
{
  constexpr std::string_view prefix = "whsec_";
  if (secret.substr(0, prefix.size()) == prefix) {
    auto decoded = base64_decode(secret.substr(prefix.size()));
    if (!decoded || decoded->empty())
      return model::make_error(model::ErrorKind::invalid_input, "webhook secret: not valid base64 after \"whsec_\"",
                               "write the secret as whsec_<base64> or as plain text");
    return std::move(*decoded);
  }
  if (secret.empty())
    return model::make_error(model::ErrorKind::invalid_input, "webhook secret: empty");
  return std::string(secret);
}

std::string sign(std::string_view key, std::string_view id, std::string_view timestamp, std::string_view body)
{
  std::string content;
  content.reserve(id.size() + timestamp.size() + body.size() + 2);
  content.append(id).append(".").append(timestamp).append(".").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest.data(), &length))
    throw std::runtime_error("HMAC-SHA256 failed in OpenSSL");  // only when OpenSSL itself is broken
  return "v1," + base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

bool verify(std::string_view key, std::string_view id, std::string_view timestamp, std::string_view body,
            std::string_view header)
{
  const std::string expected = sign(key, id, timestamp, body);
  bool matched = false;
  while (!header.empty()) {
    const auto space = header.find(' ');
    const std::string_view candidate = header.substr(0, space);
    if (candidate.size() == expected.size() && CRYPTO_memcmp(candidate.data(), expected.data(), expected.size()) == 0)
      matched = true;
    if (space == std::string_view::npos)
      break;
    header.remove_prefix(space + 1);
  }
  return matched;
}

std::string new_delivery_id()
{
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("the system's random number generator failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string id = "msg_";
  for (unsigned char byte : bytes) {
    id += hex[byte >> 4];
    id += hex[byte & 15];
  }
  return id;
}

}  // namespace connectors::sinks
