#include "connectors/postgres/conninfo.hpp"

#include <cctype>
#include <cstdlib>

namespace connectors::pg {

namespace {

constexpr std::string_view k_hidden = "***";

bool is_space(char c)
{
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

//! One `keyword = value` pair of the key=value form, with where its value sits in the text.
struct KeyValue {
  std::string key;
  std::string value;  //!< unquoted, unescaped
  std::size_t value_begin = 0;
  std::size_t value_end = 0;  //!< one past the value's last character (quotes included)
};

//! Splits the key=value form as libpq does: blanks around '=', single-quoted values with
//! backslash escapes. Malformed tails end the scan: redaction then keeps nothing after them.
std::vector<KeyValue> split_key_values(std::string_view text, std::size_t& parsed_until)
{
  std::vector<KeyValue> out;
  std::size_t i = 0;
  parsed_until = 0;
  while (true) {
    while (i < text.size() && is_space(text[i]))
      ++i;
    if (i >= text.size())
      break;
    KeyValue kv;
    while (i < text.size() && text[i] != '=' && !is_space(text[i]))
      kv.key += text[i++];
    while (i < text.size() && is_space(text[i]))
      ++i;
    if (i >= text.size() || text[i] != '=')
      break;
    ++i;
    while (i < text.size() && is_space(text[i]))
      ++i;
    kv.value_begin = i;
    if (i < text.size() && text[i] == '\'') {
      ++i;
      while (i < text.size() && text[i] != '\'') {
        if (text[i] == '\\' && i + 1 < text.size())
          ++i;
        kv.value += text[i++];
      }
      if (i < text.size())
        ++i;  // closing quote
    } else {
      while (i < text.size() && !is_space(text[i])) {
        if (text[i] == '\\' && i + 1 < text.size())
          ++i;
        kv.value += text[i++];
      }
    }
    kv.value_end = i;
    parsed_until = i;
    out.push_back(std::move(kv));
  }
  return out;
}

std::string percent_decode(std::string_view text)
{
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

//! Parts of a URL that may hold a password: [begin, end) ranges of the text.
struct UrlSecrets {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
};

UrlSecrets find_url_secrets(std::string_view url)
{
  UrlSecrets out;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos)
    return out;
  const std::size_t authority_begin = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?", authority_begin);
  if (authority_end == std::string_view::npos)
    authority_end = url.size();
  const auto at = url.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
  if (at != std::string_view::npos && at >= authority_begin) {
    const auto colon = url.find(':', authority_begin);
    if (colon != std::string_view::npos && colon < at)
      out.ranges.emplace_back(colon + 1, at);
  }
  const auto query = url.find('?', authority_begin);
  if (query == std::string_view::npos)
    return out;
  std::size_t i = query + 1;
  while (i <= url.size()) {
    std::size_t end = url.find('&', i);
    if (end == std::string_view::npos)
      end = url.size();
    const auto param = url.substr(i, end - i);
    const auto eq = param.find('=');
    if (eq != std::string_view::npos && percent_decode(param.substr(0, eq)) == "password")
      out.ranges.emplace_back(i + eq + 1, end);
    i = end + 1;
  }
  return out;
}

}  // namespace

bool is_conninfo_url(std::string_view conninfo)
{
  std::size_t i = 0;
  while (i < conninfo.size() && is_space(conninfo[i]))
    ++i;
  const auto rest = conninfo.substr(i);
  return rest.rfind("postgresql://", 0) == 0 || rest.rfind("postgres://", 0) == 0;
}

std::string redact_conninfo(std::string_view conninfo)
{
  std::string out;
  if (is_conninfo_url(conninfo)) {
    std::size_t copied = 0;
    for (const auto& [begin, end] : find_url_secrets(conninfo).ranges) {
      out.append(conninfo.substr(copied, begin - copied));
      out.append(k_hidden);
      copied = end;
    }
    out.append(conninfo.substr(copied));
    return out;
  }
  std::size_t parsed_until = 0;
  std::size_t copied = 0;
  for (const auto& kv : split_key_values(conninfo, parsed_until)) {
    if (kv.key != "password")
      continue;
    out.append(conninfo.substr(copied, kv.value_begin - copied));
    out.append(k_hidden);
    copied = kv.value_end;
  }
  out.append(conninfo.substr(copied, parsed_until - copied));
  // An unparsable tail might be a half-written password: never echo it.
  for (char c : conninfo.substr(parsed_until)) {
    if (!is_space(c)) {
      out.append(" ...");
      break;
    }
  }
  return out;
}

std::vector<std::string> conninfo_secrets(std::string_view conninfo)
{
  std::vector<std::string> out;
  if (is_conninfo_url(conninfo)) {
    for (const auto& [begin, end] : find_url_secrets(conninfo).ranges) {
      const auto raw = conninfo.substr(begin, end - begin);
      out.emplace_back(raw);
      out.push_back(percent_decode(raw));
    }
  } else {
    std::size_t parsed_until = 0;
    for (const auto& kv : split_key_values(conninfo, parsed_until))
      if (kv.key == "password")
        out.push_back(kv.value);
  }
  if (const char* env = std::getenv("PGPASSWORD"))
    out.emplace_back(env);
  return out;
}

std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets)
{
  for (const auto& secret : secrets) {
    if (secret.empty())
      continue;
    std::size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), k_hidden);
      pos += k_hidden.size();
    }
  }
  return text;
}

std::string with_fallback_application_name(std::string_view conninfo, std::string_view name)
{
  std::string out(conninfo);
  if (is_conninfo_url(conninfo)) {
    const auto scheme_end = out.find("://");
    const bool has_query = out.find('?', scheme_end + 3) != std::string::npos;
    out += has_query ? "&" : "?";
    out += "fallback_application_name=";
    out += name;
    return out;
  }
  while (!out.empty() && is_space(out.back()))
    out.pop_back();
  if (!out.empty())
    out += ' ';
  out += "fallback_application_name=";
  out += name;
  return out;
}

}  // namespace connectors::pg
