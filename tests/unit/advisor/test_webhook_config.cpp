// The delivery set-up from the config: the plain [webhook] and every [webhook.NAME] become
// endpoints with their own format, secret and Jira options; problems name the line and key.

#include <cstdio>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/config/config.hpp"
#include "advisor/delivery/webhook_config.hpp"
#include "tests/support/catch.hpp"

namespace {

namespace delivery = advisor::delivery;

struct Files {
  std::string secret_path;
  std::vector<std::string> paths;

  Files()
  {
    secret_path = "/tmp/pgadvisor-test-webhook-secret-" + std::to_string(::getpid());
    std::ofstream(secret_path) << "s3cret-for-tests\n";
    ::chmod(secret_path.c_str(), 0600);
  }
  ~Files()
  {
    std::remove(secret_path.c_str());
    for (const auto& path : paths)
      std::remove(path.c_str());
  }
  std::string config(const std::string& text)
  {
    const std::string path = "/tmp/pgadvisor-test-webhooks-" + std::to_string(::getpid()) + "-" +
                             std::to_string(paths.size()) + ".conf";
    std::ofstream(path) << text;
    paths.push_back(path);
    return path;
  }
};

advisor::config::Config load(const std::string& path)
{
  advisor::config::ConfigSources sources;
  sources.file = path;
  sources.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  auto config = advisor::config::load_config(sources);
  INFO((config.ok() ? std::string() : config.error().message));
  REQUIRE(config.ok());
  return *config;
}

const connectors::sinks::Getenv no_environment = [](const std::string&) -> std::optional<std::string> {
  return std::nullopt;
};

}  // namespace

TEST_CASE("webhook config: the plain webhook and two named ones are three endpoints with their formats",
          "[webhook_config]")
{
  Files files;
  const auto path = files.config("[webhook]\nurl = https://hooks.example.com/all\nsecret_file = " + files.secret_path +
                                 "\ntimeout = 3s\n\n"
                                 "[webhook.ops]\nurl = https://hooks.slack.com/services/T/B/X\nformat = slack\n\n"
                                 "[webhook.tickets]\nurl = http://127.0.0.1:8080/rest/api/2/issue\nformat = jira\n"
                                 "jira_project = OPS\njira_issue_type = Bug\nsecret_file = " +
                                 files.secret_path + "\n");
  auto setup = delivery::webhook_setup(load(path), no_environment);
  INFO((setup.ok() ? std::string() : setup.error().message));
  REQUIRE(setup.ok());
  REQUIRE(setup->endpoints.size() == 3);
  const auto& plain = setup->endpoints[0];
  CHECK(plain.name == "webhook");
  CHECK(plain.url == "https://hooks.example.com/all");
  CHECK(plain.format == delivery::PayloadFormat::json);
  REQUIRE(plain.secret);
  CHECK(plain.secret->key() == "s3cret-for-tests");
  const auto& ops = setup->endpoints[1];
  CHECK(ops.name == "ops");
  CHECK(ops.format == delivery::PayloadFormat::slack);
  CHECK_FALSE(ops.secret);  // a Slack URL is its own secret
  const auto& tickets = setup->endpoints[2];
  CHECK(tickets.name == "tickets");
  CHECK(tickets.format == delivery::PayloadFormat::jira);
  CHECK(tickets.jira.project_key == "OPS");
  CHECK(tickets.jira.issue_type == "Bug");
  REQUIRE(tickets.secret);
  // One worker serves them all, with the [webhook] timeouts.
  CHECK(setup->options.sender.total_timeout == std::chrono::seconds(3));
  CHECK_FALSE(delivery::check_endpoints(setup->endpoints));
}

TEST_CASE("webhook config: named webhooks work without the plain one, and Jira options default", "[webhook_config]")
{
  Files files;
  const auto path = files.config("[webhook.tickets]\nurl = https://jira.example.com/rest/api/2/issue\nformat = jira\n");
  auto setup = delivery::webhook_setup(load(path), no_environment);
  REQUIRE(setup.ok());
  REQUIRE(setup->endpoints.size() == 1);
  CHECK(setup->endpoints[0].name == "tickets");
  CHECK(setup->endpoints[0].jira.project_key == delivery::JiraOptions{}.project_key);
  CHECK(setup->endpoints[0].jira.issue_type == delivery::JiraOptions{}.issue_type);
}

TEST_CASE("webhook config: a named webhook's problem names its line and key, never the URL's path",
          "[webhook_config]")
{
  Files files;
  SECTION("json without a secret")
  {
    const auto path = files.config("[webhook.audit]\nurl = https://audit.example.com/in\n");
    auto setup = delivery::webhook_setup(load(path), no_environment);
    REQUIRE_FALSE(setup.ok());
    CHECK(setup.error().kind == model::ErrorKind::invalid_input);
    // The key is at its default: the message points at the section's header.
    CHECK(setup.error().message.find(path + ":1: webhook.audit.secret_file: required with format json") == 0);
  }
  SECTION("a secret file that is missing")
  {
    const auto path = files.config("[webhook.audit]\nurl = https://audit.example.com/in\n\nsecret_file = " +
                                   files.secret_path + ".absent\n");
    auto setup = delivery::webhook_setup(load(path), no_environment);
    REQUIRE_FALSE(setup.ok());
    CHECK(setup.error().kind == model::ErrorKind::not_found);
    CHECK(setup.error().message.find(path + ":4: webhook.audit.secret_file: ") == 0);
  }
  SECTION("plain http to a remote host")
  {
    const auto path = files.config("[webhook.ops]\nformat = slack\nurl = http://hooks.example.com/services/TOKEN\n");
    auto setup = delivery::webhook_setup(load(path), no_environment);
    REQUIRE_FALSE(setup.ok());
    CHECK(setup.error().message.find(path + ":3: webhook ops: ") == 0);
    CHECK(setup.error().message.find("TOKEN") == std::string::npos);
  }
}
