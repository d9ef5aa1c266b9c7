// The daemon's configuration: one key table feeds the parser, --show-config and the example
// file; every bad input names the file, the line and the key.

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

#include "advisor/config/config.hpp"
#include "advisor/config/config_keys.hpp"
#include "advisor/config/config_render.hpp"
#include "advisor/config/config_values.hpp"
#include "tests/support/catch.hpp"
#include "tests/support/cli_runner.hpp"

namespace {

using advisor::config::ConfigSources;
using advisor::config::Source;

std::string write_config(const std::string& text)
{
  static int counter = 0;
  const std::string path = "/tmp/pgadvisor-test-config-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++) + ".conf";
  std::ofstream(path) << text;
  return path;
}

ConfigSources sources_for(const std::string& path, std::map<std::string, std::string> env = {})
{
  ConfigSources sources;
  sources.file = path;
  sources.getenv = [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  return sources;
}

std::string read_file(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

TEST_CASE("config: values of every type parse, bad ones are refused", "[config]")
{
  using namespace std::chrono_literals;
  CHECK(advisor::config::parse_duration("60s") == 60s);
  CHECK(advisor::config::parse_duration("500ms") == 500ms);
  CHECK(advisor::config::parse_duration("5m") == 5min);
  CHECK(advisor::config::parse_duration("7d") == 168h);
  CHECK(advisor::config::parse_duration("30") == 30s);
  CHECK_FALSE(advisor::config::parse_duration("-5s"));
  CHECK_FALSE(advisor::config::parse_duration("5 parsecs"));
  CHECK_FALSE(advisor::config::parse_duration(""));
  CHECK(advisor::config::parse_integer("1G") == 1073741824);
  CHECK_FALSE(advisor::config::parse_integer("1.5"));
  CHECK(advisor::config::parse_boolean("Off") == false);
  CHECK_FALSE(advisor::config::parse_boolean("maybe"));
  const auto* format = advisor::config::find_key("webhook", "format");
  REQUIRE(format);
  CHECK_FALSE(advisor::config::check_value(*format, "slack"));
  CHECK(advisor::config::check_value(*format, "xml"));
}

TEST_CASE("config: file, environment and flag each override the one before, and say so", "[config]")
{
  const auto path = write_config("[daemon]\ninterval = 30s\nstate = /tmp/a.db\n\n[targets]\n"
                                 "prod = host=db1 dbname=app\nstaging = postgresql://u@db2/app\n");
  auto sources = sources_for(path, {{"PGADVISOR_DAEMON_STATE", "/tmp/b.db"}, {"PGADVISOR_ANALYSIS_TOP", "3"}});
  sources.overrides = {"analysis.top=7"};
  auto config = advisor::config::load_config(sources);
  REQUIRE(config.ok());
  CHECK(config->duration("daemon.interval") == std::chrono::seconds(30));
  CHECK(config->settings.at("daemon.interval").source == Source::file);
  CHECK(config->settings.at("daemon.interval").origin == path + ":2");
  CHECK(config->text("daemon.state") == "/tmp/b.db");
  CHECK(config->settings.at("daemon.state").source == Source::environment);
  CHECK(config->integer("analysis.top") == 7);
  CHECK(config->settings.at("analysis.top").source == Source::flag);
  CHECK(config->settings.at("analysis.min_calls").source == Source::default_value);
  REQUIRE(config->targets.size() == 2);
  CHECK(config->targets[0].name == "prod");
  CHECK(config->targets[0].conninfo == "host=db1 dbname=app");
  CHECK(config->targets[1].conninfo == "postgresql://u@db2/app");
  std::remove(path.c_str());
}

TEST_CASE("config: an unknown key names the file, the line and the key", "[config]")
{
  const auto path = write_config("[daemon]\ninterval = 30s\n# a comment\nintervall = 5s\n");
  auto config = advisor::config::load_config(sources_for(path));
  REQUIRE_FALSE(config.ok());
  CHECK(config.error().message == path + ":4: daemon.intervall: unknown key");
  std::remove(path.c_str());
}

TEST_CASE("config: a bad value names the file, the line, the key and what is expected", "[config]")
{
  const auto path = write_config("[targets]\nprod = host=x\n\n[analysis]\nexplain_analyze = sometimes\n");
  auto config = advisor::config::load_config(sources_for(path));
  REQUIRE_FALSE(config.ok());
  CHECK(config.error().message ==
        path + ":5: analysis.explain_analyze: bad value 'sometimes': expected on or off");
  std::remove(path.c_str());
}

TEST_CASE("config: duplicates, bad target names, syntax errors and bad overrides are refused", "[config]")
{
  SECTION("a key set twice")
  {
    const auto path = write_config("[daemon]\ninterval = 1s\ninterval = 2s\n");
    auto config = advisor::config::load_config(sources_for(path));
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message == path + ":3: daemon.interval: set twice");
    std::remove(path.c_str());
  }
  SECTION("a target name with a space")
  {
    const auto path = write_config("[targets]\nmy db = host=x\n");
    auto config = advisor::config::load_config(sources_for(path));
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.find(path + ":2: targets.my db:") == 0);
    std::remove(path.c_str());
  }
  SECTION("a line without '='")
  {
    const auto path = write_config("[daemon]\ninterval\n");
    auto config = advisor::config::load_config(sources_for(path));
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message == path + ":2: expected 'key = value', got 'interval'");
    std::remove(path.c_str());
  }
  SECTION("a bad environment value names the variable")
  {
    auto sources = sources_for("/dev/null", {{"PGADVISOR_DAEMON_INTERVAL", "soon"}});
    auto config = advisor::config::load_config(sources);
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.find("PGADVISOR_DAEMON_INTERVAL: daemon.interval: bad value 'soon'") == 0);
  }
  SECTION("a --set of an unknown key")
  {
    auto sources = sources_for("/dev/null");
    sources.overrides = {"daemon.nope=1"};
    auto config = advisor::config::load_config(sources);
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message == "--set: daemon.nope: unknown key");
  }
  SECTION("a missing file")
  {
    auto config = advisor::config::load_config(sources_for("/nonexistent/pgadvisor.conf"));
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().kind == model::ErrorKind::not_found);
  }
}

TEST_CASE("config: systemd/pgadvisor.conf.example is exactly what the key table generates", "[config]")
{
  const std::string example = read_file(std::string(PGADVISOR_SOURCE_DIR) + "/systemd/pgadvisor.conf.example");
  CHECK(example == advisor::config::example_config());
  // Every key of the table appears in it, and the example parses as a valid config.
  for (const auto& key : advisor::config::key_table())
    CHECK(example.find("#" + std::string(key.name) + " = " + std::string(key.default_value) + "\n") !=
          std::string::npos);
  auto config = advisor::config::load_config(
      sources_for(std::string(PGADVISOR_SOURCE_DIR) + "/systemd/pgadvisor.conf.example"));
  CHECK(config.ok());
}

TEST_CASE("config: run --check-config, --show-config and exit codes", "[config]")
{
  const auto path = write_config("[daemon]\ninterval = 30s\n[targets]\nprod = host=db1 password=hunter2 dbname=app\n");
  auto check = test_support::run({"run", "--config", path, "--check-config"});
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("valid, 1 targets") != std::string::npos);

  auto show = test_support::run({"run", "--config", path, "--show-config", "--set", "analysis.top=4"});
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("interval = 30s    # file " + path + ":2") != std::string::npos);
  CHECK(show.out.find("top = 4    # flag --set") != std::string::npos);
  CHECK(show.out.find("min_calls = 5    # default") != std::string::npos);
  CHECK(show.out.find("hunter2") == std::string::npos);  // passwords never shown

  const auto bad = write_config("[daemon]\ninterval = 30 seconds\n");
  auto refused = test_support::run({"run", "--config", bad, "--check-config"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(bad + ":2: daemon.interval: bad value") != std::string::npos);

  auto no_targets = test_support::run({"run", "--config", "/dev/null", "--once"});
  CHECK(no_targets.exit_code == 2);
  CHECK(no_targets.err.find("no [targets]") != std::string::npos);
  std::remove(path.c_str());
  std::remove(bad.c_str());
}

TEST_CASE("config: [webhook.NAME] sections are read with their keys, lines and defaults", "[config]")
{
  const auto path = write_config("[webhook]\nurl = https://hooks.example.com/plain\n\n"
                                 "[webhook.ops]\nurl = https://hooks.slack.com/services/T/B/X\nformat = slack\n\n"
                                 "[webhook.tickets]\nurl = https://jira.example.com/rest/api/2/issue\n"
                                 "format = jira\njira_project = OPS\n");
  auto sources = sources_for(path);
  sources.overrides = {"webhook.tickets.jira_issue_type=Bug"};
  auto config = advisor::config::load_config(sources);
  REQUIRE(config.ok());
  CHECK(config->text("webhook.url") == "https://hooks.example.com/plain");
  REQUIRE(config->webhooks.size() == 2);
  const auto& ops = config->webhooks[0];
  CHECK(ops.name == "ops");
  CHECK(ops.origin == path + ":4");
  CHECK(ops.text("format") == "slack");
  CHECK(ops.settings.at("format").origin == path + ":6");
  CHECK(ops.text("secret_file").empty());
  CHECK(ops.settings.at("secret_file").source == Source::default_value);
  const auto& tickets = config->webhooks[1];
  CHECK(tickets.name == "tickets");
  CHECK(tickets.text("jira_project") == "OPS");
  CHECK(tickets.text("jira_issue_type") == "Bug");
  CHECK(tickets.settings.at("jira_issue_type").source == Source::flag);
  // Worker-wide keys stay in [webhook]; a section has no key of its own for them.
  CHECK_THROWS_AS(ops.text("timeout"), std::out_of_range);
  std::remove(path.c_str());
}

TEST_CASE("config: bad [webhook.NAME] sections name the file, the line and the key", "[config]")
{
  const auto refused = [](const std::string& text) {
    const auto path = write_config(text);
    auto config = advisor::config::load_config(sources_for(path));
    std::remove(path.c_str());
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().kind == model::ErrorKind::invalid_input);
    return std::make_pair(path, config.error().message);
  };
  SECTION("a bad format")
  {
    const auto [path, message] = refused("[daemon]\ninterval = 5s\n\n[webhook.ops]\nurl = https://x.example/h\n"
                                         "format = xml\n");
    CHECK(message == path + ":6: webhook.ops.format: bad value 'xml': expected one of json|slack|jira");
  }
  SECTION("an unknown key")
  {
    const auto [path, message] = refused("[webhook.ops]\nurl = https://x.example/h\nformt = slack\n");
    CHECK(message == path + ":3: webhook.ops.formt: unknown key");
  }
  SECTION("timeout belongs to [webhook]")
  {
    const auto [path, message] = refused("[webhook.ops]\nurl = https://x.example/h\ntimeout = 3s\n");
    CHECK(message.find(path + ":3: webhook.ops.timeout: unknown key (timeout and max_age are set once, in [webhook]") ==
          0);
  }
  SECTION("the same name twice")
  {
    const auto [path, message] = refused("[webhook.ops]\nurl = https://x.example/h\n\n[webhook.ops]\nformat = slack\n");
    CHECK(message == path + ":4: webhook.ops: a second [webhook.ops] (the first is at line 1)");
  }
  SECTION("a key twice in one section")
  {
    const auto [path, message] = refused("[webhook.ops]\nurl = https://x.example/h\nurl = https://y.example/h\n");
    CHECK(message == path + ":3: webhook.ops.url: set twice");
  }
  SECTION("a name with capitals or a dot, or the reserved name webhook")
  {
    for (const std::string name : {"Ops", "ops.eu", "webhook", ""}) {
      const auto [path, message] = refused("[daemon]\n[webhook." + name + "]\nurl = https://x.example/h\n");
      CHECK(message.find(path + ":2: webhook." + name + ": a webhook name is a-z, 0-9, '_' or '-'") == 0);
    }
  }
  SECTION("a section without url")
  {
    const auto [path, message] = refused("[webhook.ops]\nformat = slack\n");
    CHECK(message == path + ":1: webhook.ops.url: required in a [webhook.NAME] section");
  }
}

TEST_CASE("config: auto_apply.kinds and auto_apply.window are checked at load, with their line", "[config]")
{
  const auto load = [](const std::string& text) {
    const auto path = write_config(text);
    auto config = advisor::config::load_config(sources_for(path));
    std::remove(path.c_str());
    return std::make_pair(path, config);
  };
  {
    const auto [path, config] = load("[auto_apply]\nenabled = on\nkinds = create_index, analyze\nwindow = 22:00-02:00\n");
    REQUIRE(config.ok());
    CHECK(config->text("auto_apply.kinds") == "create_index, analyze");
  }
  {
    const auto [path, config] = load("[auto_apply]\nenabled = on\nkinds = create_index, drop_index\n");
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.find(path + ":3: auto_apply.kinds: bad value 'create_index, drop_index': drop_index "
                                             "cannot be applied automatically") == 0);
  }
  {
    const auto [path, config] = load("[auto_apply]\n\nkinds = indexes\n");
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.find(path + ":3: auto_apply.kinds: bad value 'indexes': 'indexes' is not a kind") == 0);
  }
  {
    const auto [path, config] = load("[auto_apply]\nwindow = 25:00-03:00\n");
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.find(path + ":2: auto_apply.window: bad value '25:00-03:00': '25:00-03:00' is not "
                                             "HH:MM-HH:MM") == 0);
  }
  {
    const auto [path, config] = load("[auto_apply]\nwindow = 02:00-02:00\n");
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message.find(path + ":2: auto_apply.window: bad value") == 0);
    CHECK(config.error().message.find("is empty") != std::string::npos);
  }
  // The same checks guard the environment and --set.
  auto sources = sources_for("/dev/null", {{"PGADVISOR_AUTO_APPLY_WINDOW", "2am-5am"}});
  auto from_environment = advisor::config::load_config(sources);
  REQUIRE_FALSE(from_environment.ok());
  CHECK(from_environment.error().message.find("PGADVISOR_AUTO_APPLY_WINDOW: auto_apply.window: bad value '2am-5am'") ==
        0);
  auto flagged = sources_for("/dev/null");
  flagged.overrides = {"auto_apply.kinds=vacuum"};
  auto from_flag = advisor::config::load_config(flagged);
  REQUIRE_FALSE(from_flag.ok());
  CHECK(from_flag.error().message.find("--set: auto_apply.kinds: bad value 'vacuum'") == 0);
}

TEST_CASE("config: --show-config and --check-config show named webhooks, URLs without their path", "[config]")
{
  const auto path = write_config("[targets]\nprod = host=db1\n[webhook.ops]\nurl = https://hooks.slack.com/services/"
                                 "T0/B0/TOKEN123\nformat = slack\n");
  auto show = test_support::run({"run", "--config", path, "--show-config"});
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("[webhook.ops]    # file " + path + ":3\n") != std::string::npos);
  CHECK(show.out.find("url = https://hooks.slack.com/...    # file " + path + ":4\n") != std::string::npos);
  CHECK(show.out.find("format = slack    # file " + path + ":5\n") != std::string::npos);
  CHECK(show.out.find("TOKEN123") == std::string::npos);  // a Slack URL's path is its secret
  // The named section comes after the plain [webhook] keys and before the next section.
  CHECK(show.out.find("max_age = ") < show.out.find("[webhook.ops]"));
  CHECK(show.out.find("[webhook.ops]") < show.out.find("[auto_apply]"));

  auto check = test_support::run({"run", "--config", path, "--check-config"});
  CHECK(check.exit_code == 0);
  const auto bad = write_config("[targets]\nprod = host=db1\n[webhook.ops]\nurl = https://x.example/h\nformat = xml\n");
  auto refused = test_support::run({"run", "--config", bad, "--check-config"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find(bad + ":5: webhook.ops.format: bad value 'xml'") != std::string::npos);
  const auto bad_kinds = write_config("[targets]\nprod = host=db1\n[auto_apply]\nkinds = drop_index\n");
  auto refused_kinds = test_support::run({"run", "--config", bad_kinds, "--check-config"});
  CHECK(refused_kinds.exit_code == 2);
  CHECK(refused_kinds.err.find(bad_kinds + ":4: auto_apply.kinds: bad value 'drop_index'") != std::string::npos);
  std::remove(path.c_str());
  std::remove(bad.c_str());
  std::remove(bad_kinds.c_str());
}
