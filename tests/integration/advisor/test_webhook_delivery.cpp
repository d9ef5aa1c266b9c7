// The webhook outbox and delivery worker against a real HTTP receiver on 127.0.0.1 in this
// process: at-least-once with a stable webhook-id, backoff, Retry-After, 410, dead letters,
// signatures, and the secret kept out of logs, the store and files.

#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <csignal>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "advisor/config/config.hpp"
#include "advisor/delivery/deliveries_report.hpp"
#include "advisor/delivery/delivery_worker.hpp"
#include "advisor/delivery/webhook_config.hpp"
#include "advisor/delivery/webhook_endpoint.hpp"
#include "connectors/sinks/webhook_sender.hpp"
#include "connectors/sinks/webhook_signature.hpp"
#include "connectors/store/history_store.hpp"
#include "connectors/store/outbox_store.hpp"
#include "tests/integration/advisor/http_receiver.hpp"
#include "tests/support/catch.hpp"

namespace delivery = advisor::delivery;
namespace store = connectors::store;
using http_test::lower;
using http_test::Received;
using http_test::Receiver;

namespace {

// ---- a store, a secret file and a worker per test ----------------------------------------

constexpr const char* secret_text = "pgadvisor-test-secret-Zq81xW";

std::string read_all(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Fixture {
  std::string dir;
  std::string db_path;
  std::string secret_path;
  std::unique_ptr<store::HistoryStore> history;
  std::shared_ptr<const connectors::sinks::WebhookSecret> secret;
  std::vector<std::string> log;

  Fixture()
  {
    static int counter = 0;
    dir = "/tmp/pgadvisor-webhook-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    ::mkdir(dir.c_str(), 0700);
    db_path = dir + "/history.db";
    secret_path = dir + "/webhook.secret";
    std::ofstream(secret_path) << secret_text << "\n";
    ::chmod(secret_path.c_str(), 0600);
    auto loaded = connectors::sinks::load_secret({secret_path, {}});
    REQUIRE(loaded.ok());
    secret = std::make_shared<const connectors::sinks::WebhookSecret>(std::move(*loaded));
    open();
  }
  ~Fixture()
  {
    history.reset();
    if (DIR* handle = ::opendir(dir.c_str())) {
      while (dirent* entry = ::readdir(handle))
        if (entry->d_name[0] != '.')
          std::remove((dir + "/" + entry->d_name).c_str());
      ::closedir(handle);
    }
    ::rmdir(dir.c_str());
  }
  void open()
  {
    auto opened = store::HistoryStore::open(db_path);
    REQUIRE(opened.ok());
    history = std::move(*opened);
    REQUIRE_FALSE(store::ensure_outbox_schema(history->database()));
  }
  store::Database& db() { return history->database(); }

  std::vector<delivery::Endpoint> endpoints(const std::string& url)
  {
    delivery::Endpoint endpoint;
    endpoint.name = "ops";
    endpoint.url = url;
    endpoint.secret = secret;
    std::vector<delivery::Endpoint> list{endpoint};
    REQUIRE_FALSE(delivery::check_endpoints(list));
    return list;
  }

  delivery::DeliveryWorker worker(const std::string& url, delivery::WorkerOptions options = {})
  {
    options.policy.base_delay_s = 1;
    options.sender.connect_timeout = std::chrono::milliseconds(1000);
    if (options.sender.total_timeout == std::chrono::milliseconds(10000))
      options.sender.total_timeout = std::chrono::milliseconds(3000);
    // The top of every backoff window: deterministic waits of 1, 2, 4… seconds.
    return delivery::DeliveryWorker(db(), endpoints(url), options, [this](heuristics::delivery::DeliveryState, const std::string& line) { log.push_back(line); },
                                    [] { return 1.0; });
  }

  //! Queues `event` for `id` in a store transaction, as the daemon does with its change.
  std::string enqueue(const std::string& url, delivery::Event event, const std::string& id, double now)
  {
    const nlohmann::ordered_json recommendation = {{"id", id},
                                                   {"target", "shop"},
                                                   {"kind", "create_index"},
                                                   {"statement", "CREATE INDEX ON shop.orders (customer_id)"},
                                                   {"status", "open"}};
    std::vector<std::string> ids;
    const auto error = history->transaction([&]() -> std::optional<model::Error> {
      auto queued = delivery::enqueue_event(db(), endpoints(url), event, recommendation,
                                            {"2026-11-26T21:00:00Z", {}, nullptr}, now);
      if (!queued)
        return queued.error();
      ids = *queued;
      return std::nullopt;
    });
    REQUIRE_FALSE(error);
    REQUIRE(ids.size() == 1);
    return ids[0];
  }

  store::OutboxRow row(const std::string& delivery_id)
  {
    auto rows = store::list_deliveries(db());
    REQUIRE(rows.ok());
    for (const auto& row : *rows)
      if (row.delivery_id == delivery_id)
        return row;
    FAIL("no outbox row " << delivery_id);
    return {};
  }
};

bool signature_ok(const Received& request, const std::string& key)
{
  return connectors::sinks::verify(key, request.headers.at("webhook-id"), request.headers.at("webhook-timestamp"),
                                   request.body, request.headers.at("webhook-signature"));
}

}  // namespace

TEST_CASE("webhook delivery: 500 three times then 200 delivers each event once, same webhook-id", "[integration][webhook]")
{
  Receiver receiver({{500}, {500}, {500}}, {200});
  Fixture fixture;
  const double t0 = 1'800'000'000;
  const std::string first = fixture.enqueue(receiver.url(), delivery::Event::created, "rec1", t0);
  const std::string second = fixture.enqueue(receiver.url(), delivery::Event::applied, "rec1", t0 + 0.001);
  auto worker = fixture.worker(receiver.url());

  // Backoff 1, 2, 4 s after the failures; nothing is sent before a row is due.
  const std::vector<std::pair<double, std::size_t>> passes = {{t0, 1}, {t0 + 0.5, 1}, {t0 + 1, 2}, {t0 + 2.9, 2},
                                                              {t0 + 3, 3}, {t0 + 6.9, 3}, {t0 + 7, 5}};
  for (const auto& [now, expected] : passes) {
    auto pass = worker.run_once(now);
    REQUIRE(pass.ok());
    INFO("pass at t0+" << now - t0);
    CHECK(receiver.requests().size() == expected);
  }
  // Later passes send nothing more: delivered once per event.
  REQUIRE(worker.run_once(t0 + 1000).ok());
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 5);
  for (int i = 0; i < 4; ++i)
    CHECK(requests[i].headers.at("webhook-id") == first);
  CHECK(requests[4].headers.at("webhook-id") == second);
  CHECK(nlohmann::json::parse(requests[0].body)["event"] == "recommendation.created");
  CHECK(nlohmann::json::parse(requests[4].body)["event"] == "recommendation.applied");
  CHECK(requests[0].body == requests[3].body);  // the same bytes on every try
  CHECK(requests[0].headers.at("content-type") == "application/json");

  const auto row = fixture.row(first);
  CHECK(row.state == "delivered");
  CHECK(row.attempts == 4);
  CHECK(row.last_status == 200);
  CHECK(fixture.row(second).attempts == 1);
  auto next = worker.next_due();
  REQUIRE(next.ok());
  CHECK_FALSE(*next);
}

TEST_CASE("webhook delivery: a worker restarted mid-retry still delivers with the same id", "[integration][webhook]")
{
  Receiver receiver({{500}, {503}}, {200});
  Fixture fixture;
  const double t0 = 1'800'000'000;
  const std::string id = fixture.enqueue(receiver.url(), delivery::Event::created, "rec2", t0);
  {
    auto worker = fixture.worker(receiver.url());
    REQUIRE(worker.run_once(t0).ok());
    REQUIRE(worker.run_once(t0 + 1).ok());
    REQUIRE(receiver.requests().size() == 2);
  }
  // The process goes away: the connection is closed, nothing in memory survives.
  fixture.history.reset();
  fixture.open();
  CHECK(fixture.row(id).state == "pending");
  CHECK(fixture.row(id).attempts == 2);
  auto worker = fixture.worker(receiver.url());
  REQUIRE(worker.run_once(t0 + 1.5).ok());  // still backing off (next at t0 + 3)
  CHECK(receiver.requests().size() == 2);
  REQUIRE(worker.run_once(t0 + 3).ok());
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 3);
  for (const auto& request : requests)
    CHECK(request.headers.at("webhook-id") == id);
  CHECK(fixture.row(id).state == "delivered");
}

TEST_CASE("webhook delivery: a process killed between the POST and its record sends again, same id",
          "[integration][webhook]")
{
  Receiver receiver({}, {200});
  Fixture fixture;
  const double t0 = 1'800'000'000;
  const std::string id = fixture.enqueue(receiver.url(), delivery::Event::created, "rec2k", t0);
  const std::string url = receiver.url();
  const std::string db_path = fixture.db_path;
  auto secret = fixture.secret;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The "daemon": its own connection; SIGKILL right after the receiver answered 200.
    auto opened = store::HistoryStore::open(db_path);
    if (!opened.ok())
      ::_exit(3);
    delivery::Endpoint endpoint{"ops", url, delivery::PayloadFormat::json, secret, {}};
    delivery::DeliveryWorker worker((*opened)->database(), {endpoint}, {}, {}, [] { return 1.0; },
                                    [](const connectors::sinks::WebhookRequest& request) {
                                      auto response = connectors::sinks::post_webhook(request, {});
                                      ::raise(SIGKILL);
                                      return response;
                                    });
    worker.run_once(t0);
    ::_exit(4);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  REQUIRE(receiver.requests().size() == 1);
  CHECK(fixture.row(id).state == "pending");  // the outcome never reached the store
  CHECK(fixture.row(id).attempts == 0);

  auto worker = fixture.worker(receiver.url());
  // The dead worker's claim holds the row for connect + total timeout + 30 s, then it is free.
  REQUIRE(worker.run_once(t0 + 5).ok());
  CHECK(receiver.requests().size() == 1);
  REQUIRE(worker.run_once(t0 + 60).ok());
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].headers.at("webhook-id") == id);
  CHECK(requests[1].headers.at("webhook-id") == id);
  CHECK(requests[0].body == requests[1].body);
  CHECK(fixture.row(id).state == "delivered");
}

TEST_CASE("webhook delivery: 410 disables the endpoint until it is re-enabled", "[integration][webhook]")
{
  Receiver receiver({{410}}, {200});
  Fixture fixture;
  const double t0 = 1'800'000'000;
  const std::string first = fixture.enqueue(receiver.url(), delivery::Event::created, "rec3", t0);
  const std::string second = fixture.enqueue(receiver.url(), delivery::Event::updated, "rec3", t0 + 0.001);
  auto worker = fixture.worker(receiver.url());
  auto pass = worker.run_once(t0);
  REQUIRE(pass.ok());
  CHECK(pass->disabled == 1);
  CHECK(receiver.requests().size() == 1);
  CHECK(fixture.row(first).state == "disabled");
  CHECK(fixture.row(first).last_status == 410);
  CHECK(fixture.row(second).state == "disabled");
  auto disabled = store::endpoint_disabled(fixture.db(), "ops");
  REQUIRE(disabled.ok());
  CHECK(*disabled);

  // New events for a gone endpoint are recorded, never sent.
  const std::string third = fixture.enqueue(receiver.url(), delivery::Event::verified, "rec3", t0 + 10);
  CHECK(fixture.row(third).state == "disabled");
  REQUIRE(worker.run_once(t0 + 1000).ok());
  CHECK(receiver.requests().size() == 1);

  auto revived = store::enable_endpoint(fixture.db(), "ops", t0 + 2000);
  REQUIRE(revived.ok());
  CHECK(*revived == 3);
  REQUIRE(worker.run_once(t0 + 2000).ok());
  CHECK(receiver.requests().size() == 4);
  CHECK(fixture.row(third).state == "delivered");
}

TEST_CASE("webhook delivery: 429 with Retry-After is honoured", "[integration][webhook]")
{
  Receiver receiver({{429, "Retry-After: 120\r\n"}}, {200});
  Fixture fixture;
  const double t0 = 1'800'000'000;
  const std::string id = fixture.enqueue(receiver.url(), delivery::Event::created, "rec4", t0);
  auto worker = fixture.worker(receiver.url());
  REQUIRE(worker.run_once(t0).ok());
  CHECK(fixture.row(id).next_attempt_at == Approx(t0 + 120));
  CHECK(fixture.row(id).last_status == 429);
  REQUIRE(worker.run_once(t0 + 119).ok());
  CHECK(receiver.requests().size() == 1);
  auto next = worker.next_due();
  REQUIRE(next.ok());
  REQUIRE(*next);
  CHECK(**next == Approx(t0 + 120));
  REQUIRE(worker.run_once(t0 + 120).ok());
  CHECK(receiver.requests().size() == 2);
  CHECK(fixture.row(id).state == "delivered");
}

TEST_CASE("webhook delivery: undeliverable past the maximum age goes to the dead letters", "[integration][webhook]")
{
  Receiver receiver({}, {500});
  Fixture fixture;
  const double t0 = 1'800'000'000;
  const std::string id = fixture.enqueue(receiver.url(), delivery::Event::created, "rec5", t0);
  delivery::WorkerOptions options;
  options.policy.max_age_s = 10;
  auto worker = fixture.worker(receiver.url(), options);
  for (double now = t0; now <= t0 + 20; now += 0.5)
    REQUIRE(worker.run_once(now).ok());
  const auto row = fixture.row(id);
  CHECK(row.state == "dead");
  CHECK(row.last_status == 500);
  // 1, 2, 4 s backoff, then cut to the deadline at t0 + 10: five tries in all.
  CHECK(row.attempts == 5);
  CHECK(receiver.requests().size() == 5);
  auto dead = store::list_deliveries(fixture.db(), "dead");
  REQUIRE(dead.ok());
  CHECK(dead->size() == 1);
}

TEST_CASE("webhook delivery: redirects are not followed, slow receivers time out", "[integration][webhook]")
{
  Fixture fixture;
  const double t0 = 1'800'000'000;
  {
    Receiver elsewhere({}, {200});
    Receiver receiver({{302, "Location: " + elsewhere.url() + "\r\n"}}, {200});
    const std::string id = fixture.enqueue(receiver.url(), delivery::Event::created, "rec6", t0);
    auto worker = fixture.worker(receiver.url());
    REQUIRE(worker.run_once(t0).ok());
    CHECK(receiver.requests().size() == 1);
    CHECK(elsewhere.requests().empty());
    CHECK(fixture.row(id).state == "pending");
    CHECK(fixture.row(id).last_status == 302);
    REQUIRE(worker.run_once(t0 + 1).ok());
    CHECK(fixture.row(id).state == "delivered");
  }
  {
    Receiver slow({{200, "", 1500}}, {200});
    const std::string id = fixture.enqueue(slow.url(), delivery::Event::created, "rec7", t0 + 100);
    delivery::WorkerOptions options;
    options.sender.total_timeout = std::chrono::milliseconds(300);
    auto worker = fixture.worker(slow.url(), options);
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(worker.run_once(t0 + 100).ok());
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1200));
    const auto row = fixture.row(id);
    CHECK(row.state == "pending");
    CHECK(row.last_status == 0);
    CHECK(lower(row.last_error).find("timed out") != std::string::npos);
  }
}

TEST_CASE("webhook delivery: an endpoint that refuses connections is retried", "[integration][webhook]")
{
  Fixture fixture;
  int port = 0;
  {
    Receiver closed({}, {200});
    port = closed.port();
  }  // nothing listens there any more
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  const double t0 = 1'800'000'000;
  const std::string id = fixture.enqueue(url, delivery::Event::created, "rec8", t0);
  auto worker = fixture.worker(url);
  auto pass = worker.run_once(t0);
  REQUIRE(pass.ok());
  CHECK(pass->retrying == 1);
  CHECK(fixture.row(id).state == "pending");
  CHECK(fixture.row(id).last_status == 0);
  CHECK_FALSE(fixture.row(id).last_error.empty());
}

TEST_CASE("webhook delivery: plain http to a non-loopback host is refused", "[integration][webhook]")
{
  delivery::Endpoint endpoint;
  endpoint.name = "remote";
  endpoint.url = "http://hooks.example.com/services/TOKEN";
  const auto refused = delivery::check_endpoints({endpoint});
  REQUIRE(refused);
  CHECK(refused->message.find("remote") != std::string::npos);
  CHECK(refused->message.find("TOKEN") == std::string::npos);
  endpoint.url = "https://hooks.example.com/services/TOKEN";
  CHECK_FALSE(delivery::check_endpoints({endpoint, endpoint}) == std::nullopt);  // duplicate name
  CHECK_FALSE(delivery::check_endpoints({endpoint}));
}

TEST_CASE("webhook delivery: the outbox row commits and rolls back with the change", "[integration][webhook]")
{
  Fixture fixture;
  store::OutboxEntry entry{"msg_rollback", "ops", "recommendation.created", "rec9", "{}"};
  const auto failed = fixture.history->transaction([&]() -> std::optional<model::Error> {
    auto queued = store::enqueue_delivery(fixture.db(), entry, 1);
    REQUIRE(queued.ok());
    return model::make_error(model::ErrorKind::server, "the recommendation change failed");
  });
  CHECK(failed);
  auto rows = store::list_deliveries(fixture.db());
  REQUIRE(rows.ok());
  CHECK(rows->empty());
  REQUIRE_FALSE(fixture.history->transaction([&]() -> std::optional<model::Error> {
    auto queued = store::enqueue_delivery(fixture.db(), entry, 1);
    return queued.ok() ? std::nullopt : std::optional<model::Error>(queued.error());
  }));
  auto again = store::enqueue_delivery(fixture.db(), entry, 2);
  REQUIRE(again.ok());
  CHECK_FALSE(*again);  // the same delivery id is queued once
  rows = store::list_deliveries(fixture.db());
  REQUIRE(rows.ok());
  CHECK(rows->size() == 1);
}

TEST_CASE("webhook delivery: a row is claimed by one worker at a time", "[integration][webhook]")
{
  Fixture fixture;
  store::OutboxEntry entry{"msg_claim", "ops", "recommendation.created", "rec13", "{}"};
  REQUIRE(store::enqueue_delivery(fixture.db(), entry, 100).ok());
  auto first = store::claim_delivery(fixture.db(), "msg_claim", 100, 150);
  REQUIRE(first.ok());
  CHECK(*first);
  auto second = store::claim_delivery(fixture.db(), "msg_claim", 100, 150);
  REQUIRE(second.ok());
  CHECK_FALSE(*second);
  auto due = store::due_deliveries(fixture.db(), "ops", 120, 10);
  REQUIRE(due.ok());
  CHECK(due->empty());
  auto after_lease = store::claim_delivery(fixture.db(), "msg_claim", 150, 200);
  REQUIRE(after_lease.ok());
  CHECK(*after_lease);
}

TEST_CASE("webhook delivery: the signature checks out with the secret, fails with a flipped byte", "[integration][webhook]")
{
  Receiver receiver({}, {200});
  Fixture fixture;
  fixture.enqueue(receiver.url(), delivery::Event::created, "rec10", 1'800'000'000);
  auto worker = fixture.worker(receiver.url());
  REQUIRE(worker.run_once(1'800'000'000).ok());
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 1);
  const auto& request = requests[0];
  CHECK(request.headers.at("webhook-timestamp") == "1800000000");
  CHECK(request.headers.at("webhook-signature").rfind("v1,", 0) == 0);
  // The receiver's side: the key from the same secret file.
  auto key = connectors::sinks::signing_key(secret_text);
  REQUIRE(key.ok());
  CHECK(signature_ok(request, *key));
  for (std::size_t at : {std::size_t{0}, request.body.size() / 2, request.body.size() - 1}) {
    auto tampered = request;
    tampered.body[at] ^= 0x01;
    CHECK_FALSE(signature_ok(tampered, *key));
  }
  auto wrong = *key;
  wrong.back() ^= 0x01;
  CHECK_FALSE(signature_ok(request, wrong));
}

TEST_CASE("webhook delivery: the secret is in no log line, store row, file or request", "[integration][webhook]")
{
  Receiver receiver({{500}, {429, "Retry-After: 5\r\n"}, {410}}, {200});
  Fixture fixture;
  const double t0 = 1'800'000'000;
  fixture.enqueue(receiver.url(), delivery::Event::created, "rec11", t0);
  fixture.enqueue(receiver.url(), delivery::Event::updated, "rec11", t0 + 1);
  auto worker = fixture.worker(receiver.url());
  for (double now = t0; now < t0 + 20; now += 1)
    REQUIRE(worker.run_once(now).ok());
  REQUIRE(receiver.requests().size() == 3);
  REQUIRE_FALSE(fixture.log.empty());

  const std::string secret = secret_text;
  const std::string secret_b64 = connectors::sinks::base64_encode(secret);
  for (const auto& line : fixture.log) {
    INFO(line);
    CHECK(line.find(secret) == std::string::npos);
    CHECK(line.find(secret_b64) == std::string::npos);
    CHECK(line.find("127.0.0.1") == std::string::npos);  // nor the URL
  }
  // Every column of every row of every table (statements finalised before the store closes).
  {
    auto tables = fixture.db().prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    REQUIRE(tables.ok());
    int scanned = 0;
    while (*tables->step()) {
      const std::string table = tables->text(0);
      auto columns = fixture.db().prepare("SELECT name FROM pragma_table_info(?1)");
      REQUIRE(columns.ok());
      columns->bind(1, table);
      while (*columns->step()) {
        auto values = fixture.db().prepare("SELECT CAST(\"" + columns->text(0) + "\" AS TEXT) FROM \"" + table + "\"");
        REQUIRE(values.ok());
        while (*values->step()) {
          CHECK(values->text(0).find(secret) == std::string::npos);
          ++scanned;
        }
      }
    }
    CHECK(scanned > 0);
  }
  // The files on disk (the database, its WAL) and every other file the test left.
  fixture.history.reset();
  DIR* handle = ::opendir(fixture.dir.c_str());
  REQUIRE(handle);
  int files = 0;
  while (dirent* entry = ::readdir(handle)) {
    const std::string path = fixture.dir + "/" + entry->d_name;
    if (entry->d_name[0] == '.' || path == fixture.secret_path)
      continue;
    INFO(path);
    const std::string content = read_all(path);
    CHECK(content.find(secret) == std::string::npos);
    CHECK(content.find(secret_b64) == std::string::npos);
    ++files;
  }
  ::closedir(handle);
  CHECK(files >= 1);
  for (const auto& request : receiver.requests()) {
    CHECK(request.body.find(secret) == std::string::npos);
    for (const auto& [name, value] : request.headers)
      CHECK(value.find(secret) == std::string::npos);
  }
}

TEST_CASE("webhook delivery: the [webhook] section sets up a signed endpoint", "[integration][webhook]")
{
  Fixture fixture;
  const auto environment = [&](const std::string& name) -> std::optional<std::string> {
    if (name == "CREDENTIALS_DIRECTORY")
      return fixture.dir;
    return std::nullopt;
  };
  const auto load = [&](std::vector<std::string> overrides) {
    advisor::config::ConfigSources sources;
    sources.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    sources.overrides = std::move(overrides);
    auto config = advisor::config::load_config(sources);
    REQUIRE(config.ok());
    return *config;
  };

  auto none = delivery::webhook_setup(load({}), environment);
  REQUIRE(none.ok());
  CHECK(none->endpoints.empty());

  auto signed_setup = delivery::webhook_setup(
      load({"webhook.url=http://127.0.0.1:9/hook", "webhook.secret_file=credential:webhook.secret", "webhook.timeout=3s",
            "webhook.max_age=2h"}),
      environment);
  REQUIRE(signed_setup.ok());
  REQUIRE(signed_setup->endpoints.size() == 1);
  REQUIRE(signed_setup->endpoints[0].secret);
  CHECK(signed_setup->endpoints[0].secret->key() == secret_text);
  CHECK(signed_setup->options.sender.total_timeout == std::chrono::seconds(3));
  CHECK(signed_setup->options.policy.max_age_s == Approx(7200));

  auto unsigned_json = delivery::webhook_setup(load({"webhook.url=https://hooks.example.com/x"}), environment);
  REQUIRE_FALSE(unsigned_json.ok());
  CHECK(unsigned_json.error().message.find("webhook.secret_file") != std::string::npos);

  auto slack = delivery::webhook_setup(load({"webhook.url=https://hooks.example.com/x", "webhook.format=slack"}), environment);
  REQUIRE(slack.ok());
  CHECK(slack->endpoints[0].format == delivery::PayloadFormat::slack);

  auto plain_http = delivery::webhook_setup(
      load({"webhook.url=http://hooks.example.com/TOKEN", "webhook.format=slack"}), environment);
  REQUIRE_FALSE(plain_http.ok());
  CHECK(plain_http.error().message.find("TOKEN") == std::string::npos);

  auto missing_secret = delivery::webhook_setup(
      load({"webhook.url=https://hooks.example.com/x", "webhook.secret_file=" + fixture.dir + "/absent"}), environment);
  REQUIRE_FALSE(missing_secret.ok());
  CHECK(missing_secret.error().kind == model::ErrorKind::not_found);
}

TEST_CASE("webhook delivery: the deliveries report shows dead letters and pending retries", "[integration][webhook]")
{
  Receiver receiver({{500}}, {500});
  Fixture fixture;
  const double t0 = 1'800'000'000;
  const std::string id = fixture.enqueue(receiver.url(), delivery::Event::created, "rec12", t0);
  delivery::WorkerOptions options;
  options.policy.max_age_s = 3;
  auto worker = fixture.worker(receiver.url(), options);
  REQUIRE(worker.run_once(t0).ok());
  auto rows = store::list_deliveries(fixture.db());
  REQUIRE(rows.ok());
  const std::string pending = delivery::deliveries_text(*rows);
  CHECK(pending.find("pending") != std::string::npos);
  CHECK(pending.find("next 2027-01-15T08:00:01Z") != std::string::npos);
  REQUIRE(worker.run_once(t0 + 1).ok());
  REQUIRE(worker.run_once(t0 + 3).ok());
  rows = store::list_deliveries(fixture.db(), "dead");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  const std::string text = delivery::deliveries_text(*rows);
  CHECK(text.find("dead") != std::string::npos);
  CHECK(text.find(id) != std::string::npos);
  CHECK(text.find("recommendation.created") != std::string::npos);
  const auto json = delivery::deliveries_json(*rows);
  CHECK(json[0]["state"] == "dead");
  CHECK(json[0]["attempts"] == 3);
  CHECK(json[0]["last_status"] == 500);
  CHECK(json[0]["next_attempt_at"].is_null());
  CHECK(delivery::deliveries_text({}) == "No deliveries.\n");
  auto pruned = store::prune_deliveries(fixture.db(), t0 + 100);
  REQUIRE(pruned.ok());
  CHECK(*pruned == 1);
}

namespace {

//! `openssl s_server` on a free loopback port with a self-signed certificate for `san`; killed
//! when dropped. Each instance serves one handshake (s_server gives up on a POST after it).
class TlsServer {
public:
  TlsServer(const std::string& dir, const std::string& san)
  {
    cert = dir + "/cert.pem";
    const std::string key = dir + "/key.pem";
    const std::string generate = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=pgadvisor-test"
                                 " -addext subjectAltName=" + san + " -keyout " + key + " -out " + cert +
                                 " >/dev/null 2>&1";
    REQUIRE(std::system(generate.c_str()) == 0);
    {
      Receiver probe({}, {200});  // borrow a free port, then let it go
      port = probe.port();
    }
    m_pid = ::fork();
    REQUIRE(m_pid >= 0);
    if (m_pid == 0) {
      const std::string accept = std::to_string(port);
      ::execlp("openssl", "openssl", "s_server", "-4", "-accept", accept.c_str(), "-cert", cert.c_str(), "-key",
               key.c_str(), "-www", "-quiet", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Ready when it accepts a connection.
    for (int i = 0; i < 100; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<std::uint16_t>(port));
      const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      ::close(fd);
      if (up)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("openssl s_server did not start");
  }
  ~TlsServer()
  {
    ::kill(m_pid, SIGTERM);
    ::waitpid(m_pid, nullptr, 0);
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port) + "/hook"; }

  std::string cert;
  int port = 0;

private:
  pid_t m_pid = -1;
};

}  // namespace

TEST_CASE("webhook delivery: TLS certificates and host names are always verified", "[integration][webhook]")
{
  Fixture fixture;
  connectors::sinks::SenderOptions options;
  options.total_timeout = std::chrono::milliseconds(3000);
  {
    // A self-signed certificate the system does not trust: refused before anything is sent.
    TlsServer server(fixture.dir, "IP:127.0.0.1");
    const auto response = connectors::sinks::post_webhook({server.url(), "{}", "application/json", {}}, options);
    CHECK(response.http_status == 0);
    CHECK(lower(response.error).find("certificate") != std::string::npos);
  }
  {
    // The same certificate made trusted through ca_file: the handshake goes through and the
    // POST is sent; s_server (a GET-only test server) never answers it, so the transfer times
    // out instead of failing on TLS.
    TlsServer server(fixture.dir, "IP:127.0.0.1");
    options.ca_file = server.cert;
    options.total_timeout = std::chrono::milliseconds(1000);
    const auto response = connectors::sinks::post_webhook({server.url(), "{}", "application/json", {}}, options);
    INFO(response.error);
    CHECK(lower(response.error).find("certificate") == std::string::npos);
    CHECK(lower(response.error).find("ssl") == std::string::npos);
    CHECK(lower(response.error).find("timed out") != std::string::npos);
  }
  {
    // Trusted, but issued for another host: refused (host verification).
    TlsServer server(fixture.dir, "DNS:other.example");
    options.ca_file = server.cert;
    const auto response = connectors::sinks::post_webhook({server.url(), "{}", "application/json", {}}, options);
    INFO(response.error);
    CHECK(response.http_status == 0);
    CHECK(lower(response.error).find("subject name") != std::string::npos);
  }
}
