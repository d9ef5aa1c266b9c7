#include "connectors/sinks/webhook_sender.hpp"

#include <algorithm>
#include <cctype>
#include <curl/curl.h>
#include <memory>
#include <mutex>

#include "connectors/sinks/webhook_signature.hpp"

namespace connectors::sinks {

namespace {

constexpr std::size_t max_response_bytes = 64 * 1024;  // the body is ignored; read a little, keep nothing

void global_init()
{
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

struct UrlParts {
  std::string scheme;
  std::string host;
};

std::optional<UrlParts> parse_url(const std::string& url)
{
  global_init();
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    return std::nullopt;
  UrlParts parts;
  for (auto [part, out] : {std::pair{CURLUPART_SCHEME, &parts.scheme}, std::pair{CURLUPART_HOST, &parts.host}}) {
    char* value = nullptr;
    if (curl_url_get(handle.get(), part, &value, 0) != CURLUE_OK || !value)
      return std::nullopt;
    *out = lower(value);
    curl_free(value);
  }
  return parts;
}

bool is_loopback(const std::string& host)
{
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

size_t discard_body(char*, size_t size, size_t count, void* user)
{
  auto* received = static_cast<std::size_t*>(user);
  *received += size * count;
  // Returning less than given aborts the transfer: a receiver cannot make us read forever.
  return *received > max_response_bytes ? 0 : size * count;
}

size_t read_header(char* data, size_t size, size_t count, void* user)
{
  const std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos && lower(line.substr(0, colon)) == "retry-after") {
    std::string value = line.substr(colon + 1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
      value.pop_back();
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
      value.erase(0, 1);
    *static_cast<std::optional<std::string>*>(user) = value;
  }
  return size * count;
}

}  // namespace

std::optional<model::Error> check_endpoint_url(const std::string& url)
{
  const auto parts = parse_url(url);
  if (!parts)
    return model::make_error(model::ErrorKind::invalid_input, "webhook url: not a valid URL");
  if (parts->scheme == "https")
    return std::nullopt;
  if (parts->scheme == "http" && is_loopback(parts->host))
    return std::nullopt;
  return model::make_error(model::ErrorKind::invalid_input,
                           "webhook url " + parts->scheme + "://" + parts->host + ": only https is allowed",
                           "plain http is accepted for 127.0.0.1, ::1 and localhost only");
}

std::vector<std::pair<std::string, std::string>> signed_headers(const std::string& key, const std::string& delivery_id,
                                                                long long timestamp, const std::string& body)
{
  const std::string stamp = std::to_string(timestamp);
  return {{"webhook-id", delivery_id},
          {"webhook-timestamp", stamp},
          {"webhook-signature", sign(key, delivery_id, stamp, body)}};
}

WebhookResponse post_webhook(const WebhookRequest& request, const SenderOptions& options)
{
  WebhookResponse response;
  if (auto refused = check_endpoint_url(request.url)) {
    response.error = refused->message;
    return response;
  }
  global_init();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    response.error = "libcurl could not start a transfer";
    return response;
  }
  struct curl_slist* raw_headers = nullptr;
  const auto add_header = [&](const std::string& line) { raw_headers = curl_slist_append(raw_headers, line.c_str()); };
  add_header("Content-Type: " + request.content_type);
  add_header("User-Agent: pgadvisor");
  add_header("Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : request.headers)
    add_header(name + ": " + value);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw_headers, curl_slist_free_all);

  std::size_t received = 0;
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty())
    curl_easy_setopt(handle, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response.retry_after);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode code = curl_easy_perform(handle);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  if (code == CURLE_WRITE_ERROR && status > 0) {
    // We cut off an oversized body ourselves; the status line had arrived.
    response.http_status = status;
    return response;
  }
  if (code != CURLE_OK) {
    response.error = error_buffer[0] ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
    response.retry_after.reset();
    return response;
  }
  response.http_status = status;
  return response;
}

}  // namespace connectors::sinks
