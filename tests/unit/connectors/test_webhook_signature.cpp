// Standard Webhooks signatures, the secret loader and the endpoint URL policy.

#include <cstdio>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "connectors/sinks/webhook_secret.hpp"
#include "connectors/sinks/webhook_sender.hpp"
#include "connectors/sinks/webhook_signature.hpp"
#include "tests/support/catch.hpp"

namespace sinks = connectors::sinks;

namespace {

// The example of the Standard Webhooks specification; the expected value was also computed
// independently with `openssl dgst -sha256 -mac HMAC`.
constexpr const char* spec_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* spec_id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr const char* spec_timestamp = "1614265330";
constexpr const char* spec_body = "{\"test\": 2432232314}";
constexpr const char* spec_signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

std::string spec_key()
{
  auto key = sinks::signing_key(spec_secret);
  REQUIRE(key.ok());
  return *key;
}

struct TempDir {
  std::string path = "/tmp/pgadvisor-secret-test-" + std::to_string(::getpid());
  TempDir() { ::mkdir(path.c_str(), 0700); }
  ~TempDir()
  {
    for (const char* name : {"secret", "empty", "cred"})
      std::remove((path + "/" + name).c_str());
    ::rmdir(path.c_str());
  }
  std::string write(const std::string& name, const std::string& content)
  {
    const std::string file = path + "/" + name;
    std::ofstream(file) << content;
    return file;
  }
};

}  // namespace

TEST_CASE("webhook signature: matches the Standard Webhooks example", "[webhook_signature]")
{
  CHECK(sinks::sign(spec_key(), spec_id, spec_timestamp, spec_body) == spec_signature);
  CHECK(sinks::verify(spec_key(), spec_id, spec_timestamp, spec_body, spec_signature));
}

TEST_CASE("webhook signature: one flipped byte anywhere fails verification", "[webhook_signature]")
{
  const std::string key = spec_key();
  std::string body = spec_body;
  body[3] ^= 0x01;
  CHECK_FALSE(sinks::verify(key, spec_id, spec_timestamp, body, spec_signature));
  std::string id = spec_id;
  id.back() ^= 0x01;
  CHECK_FALSE(sinks::verify(key, id, spec_timestamp, spec_body, spec_signature));
  CHECK_FALSE(sinks::verify(key, spec_id, "1614265331", spec_body, spec_signature));
  std::string wrong_key = key;
  wrong_key[0] ^= 0x01;
  CHECK_FALSE(sinks::verify(wrong_key, spec_id, spec_timestamp, spec_body, spec_signature));
  std::string signature = spec_signature;
  signature[5] = signature[5] == 'A' ? 'B' : 'A';
  CHECK_FALSE(sinks::verify(key, spec_id, spec_timestamp, spec_body, signature));
  CHECK_FALSE(sinks::verify(key, spec_id, spec_timestamp, spec_body, ""));
}

TEST_CASE("webhook signature: any of several space-separated signatures may match", "[webhook_signature]")
{
  const std::string header = std::string("v1,bm90IGl0 ") + spec_signature;
  CHECK(sinks::verify(spec_key(), spec_id, spec_timestamp, spec_body, header));
}

TEST_CASE("webhook signature: a plain secret is used as it is, whsec_ is decoded", "[webhook_signature]")
{
  auto plain = sinks::signing_key("correct horse battery staple");
  REQUIRE(plain.ok());
  CHECK(*plain == "correct horse battery staple");
  CHECK(spec_key().size() == 24);
  CHECK_FALSE(sinks::signing_key("whsec_!!!not base64!!!").ok());
  CHECK_FALSE(sinks::signing_key("").ok());
}

TEST_CASE("webhook signature: base64 round-trips every length", "[webhook_signature]")
{
  std::string bytes;
  for (int n = 0; n < 40; ++n) {
    const auto decoded = sinks::base64_decode(sinks::base64_encode(bytes));
    REQUIRE(decoded);
    CHECK(*decoded == bytes);
    bytes += static_cast<char>(n * 37 + 200);
  }
  CHECK(sinks::base64_encode("foobar") == "Zm9vYmFy");
  CHECK(sinks::base64_encode("fo") == "Zm8=");
}

TEST_CASE("webhook signature: delivery ids are new every time", "[webhook_signature]")
{
  const auto a = sinks::new_delivery_id();
  const auto b = sinks::new_delivery_id();
  CHECK(a != b);
  CHECK(a.rfind("msg_", 0) == 0);
  CHECK(a.size() == 36);
}

TEST_CASE("webhook secret: read from a file, newline trimmed", "[webhook_signature]")
{
  TempDir dir;
  const auto file = dir.write("secret", "s3cr3t-value\n");
  auto secret = sinks::load_secret({file, {}});
  REQUIRE(secret.ok());
  CHECK(secret->key() == "s3cr3t-value");
}

TEST_CASE("webhook secret: read from a systemd credential", "[webhook_signature]")
{
  TempDir dir;
  dir.write("cred", spec_secret);
  const auto getenv = [&](const std::string& name) -> std::optional<std::string> {
    return name == "CREDENTIALS_DIRECTORY" ? std::optional<std::string>(dir.path) : std::nullopt;
  };
  auto secret = sinks::load_secret(sinks::secret_source_from_setting("credential:cred"), getenv);
  REQUIRE(secret.ok());
  CHECK(secret->key() == spec_key());
}

TEST_CASE("webhook secret: bad sources are errors that never quote the secret", "[webhook_signature]")
{
  TempDir dir;
  const auto none = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  auto missing = sinks::load_secret({dir.path + "/absent", {}}, none);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == model::ErrorKind::not_found);

  auto no_directory = sinks::load_secret({{}, "cred"}, none);
  REQUIRE_FALSE(no_directory.ok());
  CHECK(no_directory.error().message.find("CREDENTIALS_DIRECTORY") != std::string::npos);

  auto traversal = sinks::load_secret({{}, "../etc/passwd"}, none);
  REQUIRE_FALSE(traversal.ok());
  CHECK(traversal.error().kind == model::ErrorKind::invalid_input);

  CHECK_FALSE(sinks::load_secret({}, none).ok());
  CHECK_FALSE(sinks::load_secret({"a", "b"}, none).ok());

  const auto empty = dir.write("empty", "\n");
  CHECK_FALSE(sinks::load_secret({empty, {}}, none).ok());

  const auto bad = dir.write("secret", "whsec_SECRET-NOT-BASE64!!");
  auto bad_secret = sinks::load_secret({bad, {}}, none);
  REQUIRE_FALSE(bad_secret.ok());
  CHECK(bad_secret.error().message.find("SECRET-NOT-BASE64") == std::string::npos);
  CHECK(bad_secret.error().hint.find("SECRET-NOT-BASE64") == std::string::npos);
}

TEST_CASE("webhook url: https anywhere, plain http only to loopback", "[webhook_signature]")
{
  CHECK_FALSE(sinks::check_endpoint_url("https://hooks.example.com/services/T0/B0/abc"));
  CHECK_FALSE(sinks::check_endpoint_url("http://127.0.0.1:8080/hook"));
  CHECK_FALSE(sinks::check_endpoint_url("http://localhost/hook"));
  CHECK_FALSE(sinks::check_endpoint_url("http://[::1]:9000/"));
  CHECK(sinks::check_endpoint_url("http://example.com/hook"));
  CHECK(sinks::check_endpoint_url("http://127.0.0.1.evil.example/hook"));
  CHECK(sinks::check_endpoint_url("http://127.0.0.1@evil.example/hook"));
  CHECK(sinks::check_endpoint_url("ftp://127.0.0.1/hook"));
  CHECK(sinks::check_endpoint_url("file:///etc/passwd"));
  CHECK(sinks::check_endpoint_url("not a url"));
  // The refusal names scheme and host only: a token in the path stays out of logs.
  const auto refused = sinks::check_endpoint_url("http://example.com/services/T0/B0/TOKEN123");
  REQUIRE(refused);
  CHECK(refused->message.find("TOKEN123") == std::string::npos);
}

TEST_CASE("webhook sender: a refused URL is never contacted", "[webhook_signature]")
{
  const auto response = sinks::post_webhook({"http://example.com/hook", "{}", "application/json", {}}, {});
  CHECK(response.http_status == 0);
  CHECK(response.error.find("only https") != std::string::npos);
}

TEST_CASE("webhook sender: the signed headers carry id, timestamp and a valid signature", "[webhook_signature]")
{
  const auto headers = sinks::signed_headers(spec_key(), spec_id, 1614265330, spec_body);
  REQUIRE(headers.size() == 3);
  CHECK(headers[0] == std::pair<std::string, std::string>{"webhook-id", spec_id});
  CHECK(headers[1] == std::pair<std::string, std::string>{"webhook-timestamp", spec_timestamp});
  CHECK(headers[2] == std::pair<std::string, std::string>{"webhook-signature", spec_signature});
}
