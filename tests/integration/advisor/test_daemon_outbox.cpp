// The daemon's webhook outbox in process: WebhookOutbox against a loopback receiver (set-up
// errors, queuing inside the store's transaction, passes and their log lines, pruning, several
// endpoints). The daemon posting through it: test_daemon_webhook.cpp.

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
using webhook_test::secret_text;
using webhook_test::write_secret;

namespace {

advisor::config::Config load(std::vector<std::string> overrides)
{
  advisor::config::ConfigSources sources;
  sources.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  sources.overrides = std::move(overrides);
  auto config = advisor::config::load_config(sources);
  REQUIRE(config.ok());
  return *config;
}

}  // namespace

TEST_CASE("daemon webhook outbox: set-up errors name the key, no endpoint is a no-op", "[integration][webhook]")
{
  daemon_test::ScratchDir dir("outbox-setup");
  auto store = connectors::store::HistoryStore::open(dir.file("state.db"));
  REQUIRE(store.ok());
  auto& db = (*store)->database();

  auto none = advisor::daemon::WebhookOutbox::open(load({}), db);
  REQUIRE(none.ok());
  CHECK_FALSE((*none)->enabled());
  CHECK_FALSE((*none)->enqueue(advisor::delivery::Event::created, {{"id", "r1"}}, {}, 100));
  CHECK_FALSE((*none)->next_due());
  std::ostringstream out;
  advisor::daemon::Log log(out, advisor::daemon::LogLevel::debug);
  (*none)->deliver(log, 100, 3600);
  CHECK(out.str().empty());
  // The outbox exists even without an endpoint (`recommendations --deliveries` reads it).
  auto rows = connectors::store::list_deliveries(db);
  REQUIRE(rows.ok());
  CHECK(rows->empty());

  auto unsigned_json = advisor::daemon::WebhookOutbox::open(load({"webhook.url=http://127.0.0.1:9/hook/TOKEN"}), db);
  REQUIRE_FALSE(unsigned_json.ok());
  CHECK(unsigned_json.error().message.find("webhook.secret_file") != std::string::npos);
  CHECK(unsigned_json.error().message.find("TOKEN") == std::string::npos);

  auto missing = advisor::daemon::WebhookOutbox::open(
      load({"webhook.url=http://127.0.0.1:9/hook", "webhook.secret_file=" + dir.file("absent")}), db);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == model::ErrorKind::not_found);
  CHECK(missing.error().message.find("webhook.secret_file") != std::string::npos);

  auto remote_http = advisor::daemon::WebhookOutbox::open(
      load({"webhook.url=http://hooks.example.com/TOKEN", "webhook.secret_file=" + write_secret(dir)}), db);
  REQUIRE_FALSE(remote_http.ok());
  CHECK(remote_http.error().message.find("TOKEN") == std::string::npos);
}

TEST_CASE("daemon webhook outbox: queued in the transaction, retried, logged, pruned", "[integration][webhook]")
{
  Receiver receiver({{500}}, {200});
  daemon_test::ScratchDir dir("outbox-pass");
  auto store = connectors::store::HistoryStore::open(dir.file("state.db"));
  REQUIRE(store.ok());
  auto& db = (*store)->database();
  auto opened = advisor::daemon::WebhookOutbox::open(
      load({"webhook.url=" + receiver.url(), "webhook.secret_file=" + write_secret(dir)}), db);
  REQUIRE(opened.ok());
  auto& outbox = **opened;
  REQUIRE(outbox.enabled());

  const double t0 = 1'800'000'000;
  const nlohmann::ordered_json recommendation{{"id", "rec-1"}, {"kind", "create_index"}, {"status", "open"}};
  // Rolled back with the change it reports: nothing queued.
  CHECK((*store)->transaction([&]() -> std::optional<model::Error> {
    REQUIRE_FALSE(outbox.enqueue(advisor::delivery::Event::created, recommendation, {}, t0));
    return model::make_error(model::ErrorKind::server, "the filing failed");
  }));
  CHECK_FALSE(outbox.next_due());
  const advisor::delivery::EventDetails details{"2027-01-15T08:00:00Z", {}, nullptr};
  REQUIRE_FALSE((*store)->transaction(
      [&] { return outbox.enqueue(advisor::delivery::Event::created, recommendation, details, t0); }));
  REQUIRE(outbox.next_due());
  CHECK(*outbox.next_due() == Approx(t0));

  std::ostringstream out;
  advisor::daemon::Log log(out, advisor::daemon::LogLevel::debug);
  outbox.deliver(log, t0, 3600);
  REQUIRE(receiver.requests().size() == 1);
  CHECK(out.str().find("next try in") != std::string::npos);
  CHECK(out.str().find("webhook: 0 delivered, 1 retrying, 0 dead") != std::string::npos);
  const auto due = outbox.next_due();
  REQUIRE(due);
  CHECK(*due > t0);
  CHECK(*due <= t0 + 1);

  outbox.deliver(log, *due, 3600);
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].headers.at("webhook-id") == requests[1].headers.at("webhook-id"));
  CHECK(out.str().find("webhook: 1 delivered, 0 retrying, 0 dead") != std::string::npos);
  CHECK_FALSE(outbox.next_due());
  INFO(out.str());
  CHECK(out.str().find(secret_text) == std::string::npos);
  CHECK(out.str().find(receiver.url()) == std::string::npos);

  // An idle pass logs nothing; within the hour nothing is pruned, after it the old row goes.
  const std::string before = out.str();
  outbox.deliver(log, t0 + 10, 0);
  CHECK(out.str() == before);
  auto rows = connectors::store::list_deliveries(db);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().state == "delivered");
  outbox.deliver(log, t0 + 7200, 3600);
  rows = connectors::store::list_deliveries(db);
  REQUIRE(rows.ok());
  CHECK(rows->empty());
}

TEST_CASE("daemon webhook outbox: several endpoints, one down does not hold back the other", "[integration][webhook]")
{
  Receiver down({}, {500});
  Receiver ops({}, {200});
  daemon_test::ScratchDir dir("outbox-two");
  auto store = connectors::store::HistoryStore::open(dir.file("state.db"));
  REQUIRE(store.ok());
  const std::string secret = write_secret(dir);
  auto opened = advisor::daemon::WebhookOutbox::open(
      load({"webhook.url=" + down.url(), "webhook.secret_file=" + secret, "webhook.ops.url=" + ops.url(),
            "webhook.ops.secret_file=" + secret}),
      (*store)->database());
  REQUIRE(opened.ok());
  auto& outbox = **opened;
  const double t0 = 1'800'000'000;
  const advisor::delivery::EventDetails details{"2027-01-15T08:00:00Z", "applied", nullptr};
  REQUIRE_FALSE((*store)->transaction([&] {
    return outbox.enqueue(advisor::delivery::Event::applied, {{"id", "rec-2"}, {"status", "applied"}}, details, t0);
  }));
  std::ostringstream out;
  advisor::daemon::Log log(out, advisor::daemon::LogLevel::info);
  outbox.deliver(log, t0, 3600);
  INFO(out.str());
  REQUIRE(down.requests().size() == 1);
  REQUIRE(ops.requests().size() == 1);
  // One event, one delivery id per endpoint.
  CHECK(down.requests()[0].headers.at("webhook-id") != ops.requests()[0].headers.at("webhook-id"));
  CHECK(nlohmann::json::parse(ops.requests()[0].body)["event"] == "recommendation.applied");
  CHECK(out.str().find("webhook: 1 delivered, 1 retrying, 0 dead") != std::string::npos);
  // At info level the retry is shown (a warning), the delivery is not (debug).
  CHECK(out.str().find("webhook webhook: recommendation.applied") != std::string::npos);
  CHECK(out.str().find("webhook ops: ") == std::string::npos);
  CHECK(out.str().find(down.url()) == std::string::npos);
  CHECK(out.str().find(ops.url()) == std::string::npos);
  auto rows = connectors::store::list_deliveries((*store)->database());
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  for (const auto& row : *rows)
    CHECK(row.state == (row.endpoint == "ops" ? "delivered" : "pending"));
}
