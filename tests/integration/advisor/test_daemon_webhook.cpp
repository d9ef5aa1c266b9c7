// The daemon's webhooks, as a child process: `pgadvisor run` posting to a loopback receiver:
// retries with one webhook-id, kill -9 mid-retry, signatures, the secret kept out of logs and
// files, and `pgadvisor recommendations --deliveries`. The outbox in process:
// test_daemon_outbox.cpp.

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "advisor/config/config.hpp"
#include "advisor/daemon/log.hpp"
#include "advisor/daemon/webhook_outbox.hpp"
#include "connectors/sinks/webhook_signature.hpp"
#include "connectors/store/history_store.hpp"
#include "connectors/store/outbox_store.hpp"
#include "tests/integration/advisor/http_receiver.hpp"
#include "tests/integration/advisor/test_daemon_support.hpp"
#include "tests/integration/advisor/webhook_secret_file.hpp"

using namespace std::chrono_literals;
using http_test::Received;
using http_test::Receiver;

namespace {

using webhook_test::secret_text;
using webhook_test::write_secret;

//! The daemon's config: every second, debug log, a signed json webhook to `url`.
std::string webhook_config(const daemon_test::ScratchDir& dir, const std::string& url, const std::string& extra = {})
{
  return daemon_test::config_text(dir, "interval = 1s\n") + "\n[webhook]\nurl = " + url +
         "\nsecret_file = " + write_secret(dir) + "\nformat = json\n" + extra;
}

bool is_2xx(const Received& request) { return request.status >= 200 && request.status < 300; }

//! The recommendation.created body of the index on daemon_it.events (account).
bool is_account_created(const Received& request)
{
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  return body.is_object() && body.value("event", "") == "recommendation.created" &&
         body.value("statement", "").find("daemon_it.events (account") != std::string::npos;
}

//! Waits until the receiver got a request matching `match`; false on timeout.
template <typename Match>
bool wait_for_request(Receiver& receiver, Match match, std::chrono::seconds timeout)
{
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto requests = receiver.requests();
    if (std::any_of(requests.begin(), requests.end(), match))
      return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

//! Starts the daemon, lets its first cycle take the baseline, then bursts the query that
//! needs the index, so that the next cycle files (and queues) a new recommendation.
std::unique_ptr<daemon_test::Process> start_with_burst(const std::string& config, const daemon_test::ScratchDir& dir,
                                                       const std::string& log_name)
{
  daemon_test::create_schema();
  daemon_test::burst(2);
  auto daemon = std::make_unique<daemon_test::Process>(std::vector<std::string>{"run", "--config", config},
                                                       std::vector<std::string>{}, dir.file(log_name));
  REQUIRE(daemon->wait_for_log("test: cycle:", 60s));
  daemon_test::burst();
  return daemon;
}

void stop(daemon_test::Process& daemon)
{
  daemon.signal(SIGTERM);
  REQUIRE(daemon.wait(30s) == std::optional<int>(0));
}

//! No file of `dir` but the secret file itself holds the secret (state.db, its WAL, the
//! recommendations file, the config, the logs).
void check_secret_in_no_file(const daemon_test::ScratchDir& dir)
{
  DIR* handle = ::opendir(dir.path.c_str());
  REQUIRE(handle);
  std::set<std::string> seen;
  while (dirent* entry = ::readdir(handle)) {
    const std::string name = entry->d_name;
    if (name == "." || name == ".." || name == "webhook.secret")
      continue;
    seen.insert(name);
    INFO(name);
    CHECK(daemon_test::read_all(dir.file(name)).find(secret_text) == std::string::npos);
  }
  ::closedir(handle);
  CHECK(seen.count("state.db") == 1);
  CHECK(seen.count("recommendations.json") == 1);
}

}  // namespace

TEST_CASE("daemon webhook: 500 three times then 200 delivers each event once, signed, secret kept",
          "[integration][daemon][webhook]")
{
  Receiver receiver({{500}, {500}, {500}}, {200});
  daemon_test::ScratchDir dir("webhook-retry");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, webhook_config(dir, receiver.url()));
  auto daemon = start_with_burst(config, dir, "daemon.log");
  const bool delivered =
      wait_for_request(receiver, [](const Received& r) { return is_2xx(r) && is_account_created(r); }, 90s);
  std::this_thread::sleep_for(2s);  // a duplicate would come now
  stop(*daemon);
  const std::string log = daemon->log();
  INFO(log);
  REQUIRE(delivered);

  // The three 500s and the 200 are one event, the oldest row, tried again under its id.
  const auto requests = receiver.requests();
  REQUIRE(requests.size() >= 4);
  const std::string first_id = requests[0].headers.at("webhook-id");
  for (int i = 0; i < 4; ++i)
    CHECK(requests[i].headers.at("webhook-id") == first_id);
  CHECK(requests[3].status == 200);
  CHECK(requests[0].body == requests[3].body);
  // Every event delivered exactly once, and never tried again after its 2xx.
  std::map<std::string, int> delivered_count;
  for (const auto& request : requests) {
    const auto& id = request.headers.at("webhook-id");
    CHECK(delivered_count[id] == 0);
    if (is_2xx(request))
      ++delivered_count[id];
  }
  for (const auto& [id, count] : delivered_count)
    CHECK(count == 1);
  const auto created = std::find_if(requests.begin(), requests.end(), is_account_created);
  REQUIRE(created != requests.end());
  CHECK(nlohmann::json::parse(created->body)["kind"] == "create_index");

  // The receiver's check: the key from the same secret; one flipped byte fails it.
  auto key = connectors::sinks::signing_key(secret_text);
  REQUIRE(key.ok());
  for (const auto& request : requests) {
    const auto& headers = request.headers;
    CHECK(connectors::sinks::verify(*key, headers.at("webhook-id"), headers.at("webhook-timestamp"), request.body,
                                    headers.at("webhook-signature")));
    auto flipped = request.body;
    flipped[flipped.size() / 2] ^= 0x01;
    CHECK_FALSE(connectors::sinks::verify(*key, headers.at("webhook-id"), headers.at("webhook-timestamp"), flipped,
                                          headers.at("webhook-signature")));
    for (const auto& [name, value] : headers)
      CHECK(value.find(secret_text) == std::string::npos);
  }

  // The secret is in no log line and no file; the URL is in no log line either.
  CHECK(log.find(secret_text) == std::string::npos);
  CHECK(log.find(receiver.url()) == std::string::npos);
  CHECK(log.find("webhook webhook: recommendation.created " + first_id) != std::string::npos);
  check_secret_in_no_file(dir);

  // `recommendations --deliveries` shows the outbox: the first row delivered on its 4th try.
  auto listed = sandbox::run({"recommendations", "--config", config, "--deliveries", "--format", "json"});
  REQUIRE(listed.exit_code == 0);
  const auto document = nlohmann::json::parse(listed.out);
  bool found = false;
  for (const auto& row : document["deliveries"]) {
    if (row["delivery_id"] != first_id)
      continue;
    found = true;
    CHECK(row["state"] == "delivered");
    CHECK(row["attempts"] == 4);
    CHECK(row["last_status"] == 200);
    CHECK(row["endpoint"] == "webhook");
  }
  CHECK(found);
  auto text = sandbox::run({"recommendations", "--config", config, "--deliveries", "--status", "delivered"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find(first_id) != std::string::npos);
  CHECK(text.out.find("delivered") != std::string::npos);
  auto none_dead = sandbox::run({"recommendations", "--config", config, "--deliveries", "--status", "dead"});
  CHECK(none_dead.exit_code == 0);
  CHECK(none_dead.out == "No deliveries.\n");
}

TEST_CASE("daemon webhook: killed with SIGKILL mid-retry, restarted, still delivers with the same id",
          "[integration][daemon][webhook]")
{
  // Retry-After keeps the retry out of reach until the first daemon is gone.
  Receiver receiver({{503, "Retry-After: 4\r\n"}}, {200});
  daemon_test::ScratchDir dir("webhook-kill");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, webhook_config(dir, receiver.url()));
  auto first = start_with_burst(config, dir, "first.log");
  const bool tried = first->wait_for_log("next try in", 90s);
  first->signal(SIGKILL);
  REQUIRE(first->wait(10s) == std::optional<int>(-SIGKILL));
  INFO(first->log());
  REQUIRE(tried);
  REQUIRE(receiver.requests().size() == 1);
  const std::string id = receiver.requests()[0].headers.at("webhook-id");

  daemon_test::Process second({"run", "--config", config}, {}, dir.file("second.log"));
  const bool delivered = wait_for_request(
      receiver, [&](const Received& r) { return is_2xx(r) && r.headers.at("webhook-id") == id; }, 60s);
  stop(second);
  INFO(second.log());
  REQUIRE(delivered);
  // The same delivery, the same bytes, sent twice in all: the 503 and the 200.
  std::vector<Received> tries;
  for (const auto& request : receiver.requests())
    if (request.headers.at("webhook-id") == id)
      tries.push_back(request);
  REQUIRE(tries.size() == 2);
  CHECK(tries[0].status == 503);
  CHECK(tries[1].status == 200);
  CHECK(tries[1].body == tries[0].body);
  const auto requests = receiver.requests();
  CHECK(std::any_of(requests.begin(), requests.end(),
                    [](const Received& r) { return is_2xx(r) && is_account_created(r); }));
  daemon_test::check_store_whole(dir.file("state.db"));
  check_secret_in_no_file(dir);
}

TEST_CASE("daemon webhook: a receiver that never answers 2xx ends in a dead letter that --deliveries shows",
          "[integration][daemon][webhook]")
{
  Receiver receiver({}, {500});
  daemon_test::ScratchDir dir("webhook-dead");
  const auto config = dir.file("pgadvisor.conf");
  daemon_test::write_file(config, webhook_config(dir, receiver.url(), "max_age = 3s\n"));
  auto daemon = start_with_burst(config, dir, "daemon.log");
  REQUIRE(wait_for_request(receiver, is_account_created, 90s));
  std::string id;
  for (const auto& request : receiver.requests())
    if (is_account_created(request))
      id = request.headers.at("webhook-id");
  REQUIRE(daemon->wait_for_log("dead-lettered", 30s));

  const auto deadline = std::chrono::steady_clock::now() + 30s;
  sandbox::CliRun dead;
  do {
    dead = sandbox::run({"recommendations", "--config", config, "--deliveries", "--status", "dead"});
    if (dead.out.find(id) != std::string::npos)
      break;
    std::this_thread::sleep_for(200ms);
  } while (std::chrono::steady_clock::now() < deadline);
  stop(*daemon);
  INFO(daemon->log());
  INFO(dead.out << dead.err);
  CHECK(dead.exit_code == 0);
  CHECK(dead.out.find(id) != std::string::npos);
  CHECK(dead.out.find("dead") != std::string::npos);
  CHECK(dead.out.find("recommendation.created") != std::string::npos);
  CHECK(dead.out.find("500") != std::string::npos);
  // Dead is final: no more tries of that delivery after the daemon said so.
  auto json = sandbox::run({"recommendations", "--config", config, "--deliveries", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  const auto requests = receiver.requests();
  const auto tries = std::count_if(requests.begin(), requests.end(),
                                   [&](const Received& r) { return r.headers.at("webhook-id") == id; });
  bool found = false;
  const auto document = nlohmann::json::parse(json.out);
  for (const auto& row : document["deliveries"]) {
    if (row["delivery_id"] != id)
      continue;
    found = true;
    CHECK(row["state"] == "dead");
    // Other events of the same cycle may be tried first (one endpoint, oldest first), so this
    // one may have been tried only once before it was older than max_age.
    CHECK(row["attempts"].get<int>() >= 1);
    CHECK(tries == row["attempts"].get<int>());
  }
  CHECK(found);
  check_secret_in_no_file(dir);
}

TEST_CASE("recommendations --deliveries: bad states, conflicting flags, a store without an outbox",
          "[integration][webhook]")
{
  daemon_test::ScratchDir dir("deliveries-cli");
  const std::string state = dir.file("state.db");
  {
    auto store = connectors::store::HistoryStore::open(state);
    REQUIRE(store.ok());
  }
  auto empty = sandbox::run({"recommendations", "--state", state, "--deliveries"});
  CHECK(empty.exit_code == 0);
  CHECK(empty.out == "No deliveries.\n");
  auto empty_json = sandbox::run({"recommendations", "--state", state, "--deliveries", "--format", "json"});
  CHECK(empty_json.exit_code == 0);
  CHECK(nlohmann::json::parse(empty_json.out)["deliveries"].empty());
  {
    // Reading created nothing: the daemon creates the outbox, not a reader.
    auto store = connectors::store::HistoryStore::open(state);
    REQUIRE(store.ok());
    auto table = (*store)->database().prepare("SELECT count(*) FROM sqlite_master WHERE name = 'webhook_outbox'");
    REQUIRE(table.ok());
    REQUIRE(table->step().value());
    CHECK(table->integer(0) == 0);
  }

  auto bad_state = sandbox::run({"recommendations", "--state", state, "--deliveries", "--status", "lost"});
  CHECK(bad_state.exit_code == 2);
  CHECK(bad_state.err.find("unknown delivery state 'lost'") != std::string::npos);
  // A recommendation status is not a delivery state, and the other way round.
  auto open_state = sandbox::run({"recommendations", "--state", state, "--deliveries", "--status", "open"});
  CHECK(open_state.exit_code == 2);
  auto dead_status = sandbox::run({"recommendations", "--state", state, "--status", "dead"});
  CHECK(dead_status.exit_code == 2);
  auto both = sandbox::run({"recommendations", "--state", state, "--deliveries", "--dismiss", "x"});
  CHECK(both.exit_code == 2);
  auto no_store = sandbox::run({"recommendations", "--state", dir.file("absent.db"), "--deliveries"});
  CHECK(no_store.exit_code == 1);
  CHECK(no_store.err.find("no store at") != std::string::npos);
  auto help = sandbox::run({"recommendations", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--deliveries") != std::string::npos);
}
