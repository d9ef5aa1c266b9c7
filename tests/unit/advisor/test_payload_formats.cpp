// Webhook bodies: json (the contract + event), slack (blocks), jira (issue creation).

#include <nlohmann/json.hpp>

#include "advisor/delivery/delivery_event.hpp"
#include "advisor/delivery/jira_issue.hpp"
#include "advisor/delivery/payload_formats.hpp"
#include "advisor/delivery/slack_message.hpp"
#include "advisor/render_json.hpp"
#include "tests/support/catch.hpp"

namespace delivery = advisor::delivery;
using Json = nlohmann::ordered_json;

namespace {

model::Recommendation sample_recommendation()
{
  model::Recommendation r;
  r.id = "3f9a1c2b7d4e5f60";
  r.target = "shop";
  r.kind = model::RecommendationKind::create_index;
  r.statement = "CREATE INDEX CONCURRENTLY ON shop.orders (customer_id) WHERE total > 100 AND status <> 'x'";
  r.rationale = "Orders are read by customer & filtered by total > 100; a seq scan reads 1.2M rows per call.";
  model::QueryRef query;
  query.fingerprint = "a1b2c3";
  query.normalized = "SELECT * FROM shop.orders WHERE customer_id = $1 AND total > $2";
  query.calls = 1200;
  query.mean_ms = 41.25;
  query.total_ms = 49500;
  r.queries.push_back(query);
  r.estimate.cost_before = 25000;
  r.estimate.cost_after = 12.5;
  r.estimate.improvement = 0.9995;
  r.estimate.ms_saved_per_day = 52000;
  r.estimate.index_bytes = 2202009;
  r.score = 41600;
  r.rank = 1;
  r.confidence = 0.8;
  r.risk = "low";
  r.status = "open";
  r.validated = true;
  model::Finding finding;
  finding.rule_id = "seq_scan_selective_filter";
  finding.title = "Seq Scan on orders keeps 0.1 % of rows";
  finding.evidence.push_back({"rows_removed", 1198800, "rows"});
  r.findings.push_back(finding);
  r.first_seen = "2026-11-26T20:00:00Z";
  r.last_seen = "2026-11-26T21:00:00Z";
  return r;
}

delivery::EventDetails details()
{
  return {"2026-11-26T21:05:00Z", "mean 41.25 ms -> 3.1 ms over 1200 calls", Json{{"mean_ms_before", 41.25}}};
}

}  // namespace

TEST_CASE("payload formats: event names and formats round-trip", "[payload_formats]")
{
  using delivery::Event;
  for (auto event : {Event::created, Event::updated, Event::applied, Event::verified, Event::regressed, Event::resolved}) {
    const std::string name = delivery::to_string(event);
    CHECK(name.rfind("recommendation.", 0) == 0);
    CHECK(delivery::parse_event(name) == event);
  }
  CHECK(std::string(delivery::to_string(Event::verified)) == "recommendation.verified");
  CHECK_FALSE(delivery::parse_event("recommendation.exploded"));
  CHECK(delivery::parse_payload_format("slack") == delivery::PayloadFormat::slack);
  CHECK_FALSE(delivery::parse_payload_format("xml"));
}

TEST_CASE("payload formats: json is the contract object plus the event", "[payload_formats]")
{
  const auto recommendation = sample_recommendation();
  const Json contract = advisor::recommendation_to_json(recommendation, nullptr);
  const std::string text = delivery::render_payload(delivery::PayloadFormat::json, delivery::Event::created,
                                                    recommendation, nullptr, details());
  const Json body = Json::parse(text);
  CHECK(body["event"] == "recommendation.created");
  CHECK(body["occurred_at"] == "2026-11-26T21:05:00Z");
  CHECK(body["summary"] == "mean 41.25 ms -> 3.1 ms over 1200 calls");
  CHECK(body["details"]["mean_ms_before"] == 41.25);
  // Every field of the contract is there, unchanged.
  for (const auto& [key, value] : contract.items()) {
    INFO(key);
    REQUIRE(body.contains(key));
    CHECK(body[key] == value);
  }
  CHECK(body["trace"]["findings"][0]["id"] == "seq_scan_selective_filter");
}

TEST_CASE("payload formats: the same input renders the same bytes", "[payload_formats]")
{
  const auto recommendation = sample_recommendation();
  for (auto format : {delivery::PayloadFormat::json, delivery::PayloadFormat::slack, delivery::PayloadFormat::jira}) {
    const auto a = delivery::render_payload(format, delivery::Event::updated, recommendation, nullptr, details());
    const auto b = delivery::render_payload(format, delivery::Event::updated, recommendation, nullptr, details());
    CHECK(a == b);
  }
}

TEST_CASE("payload formats: slack message has blocks, escapes and the DDL", "[payload_formats]")
{
  const Json body = Json::parse(delivery::render_payload(delivery::PayloadFormat::slack, delivery::Event::verified,
                                                         sample_recommendation(), nullptr, details()));
  REQUIRE(body["text"].is_string());
  CHECK(body["text"].get<std::string>().find("Verified") != std::string::npos);
  REQUIRE(body["blocks"].is_array());
  REQUIRE(body["blocks"].size() >= 4);
  CHECK(body["blocks"][0]["type"] == "header");
  CHECK(body["blocks"][0]["text"]["type"] == "plain_text");
  const std::string all = body.dump();
  CHECK(all.find("CREATE INDEX CONCURRENTLY ON shop.orders (customer_id)") != std::string::npos);
  // Slack's control characters are escaped: "<>" in the DDL, "&" and ">" in the rationale.
  CHECK(all.find("status &lt;&gt; 'x'") != std::string::npos);
  CHECK(all.find("customer &amp; filtered by total &gt; 100") != std::string::npos);
  CHECK(all.find("seq_scan_selective_filter") != std::string::npos);
  CHECK(body["blocks"].back()["type"] == "context");
  for (const auto& block : body["blocks"])
    if (block.contains("text") && block["text"].contains("text"))
      CHECK(block["text"]["text"].get<std::string>().size() <= 3000);
}

TEST_CASE("payload formats: slack keeps Slack's length limits for huge statements", "[payload_formats]")
{
  auto recommendation = sample_recommendation();
  recommendation.statement = "SELECT " + std::string(10000, 'x');
  recommendation.rationale = std::string(5000, 'r');
  const Json body = Json::parse(delivery::render_payload(delivery::PayloadFormat::slack, delivery::Event::created,
                                                         recommendation, nullptr, details()));
  CHECK(body["blocks"][0]["text"]["text"].get<std::string>().size() <= 150);
  for (const auto& block : body["blocks"])
    if (block.contains("text") && block["text"].contains("text"))
      CHECK(block["text"]["text"].get<std::string>().size() <= 3000);
}

TEST_CASE("payload formats: jira is an issue-creation body with the dedup label", "[payload_formats]")
{
  const Json body = Json::parse(delivery::render_payload(delivery::PayloadFormat::jira, delivery::Event::created,
                                                         sample_recommendation(), nullptr, details()));
  const Json& fields = body["fields"];
  CHECK(fields["project"]["key"] == "DBA");
  CHECK(fields["issuetype"]["name"] == "Task");
  const std::string summary = fields["summary"];
  CHECK(summary.find("create_index") != std::string::npos);
  CHECK(summary.size() <= 255);
  CHECK(summary.find('\n') == std::string::npos);
  const std::string description = fields["description"];
  CHECK(description.find("{code:sql}\nCREATE INDEX CONCURRENTLY ON shop.orders (customer_id)") != std::string::npos);
  CHECK(description.find("seq_scan_selective_filter") != std::string::npos);
  CHECK(description.find("rows_removed 1198800 rows") != std::string::npos);
  CHECK(description.find("52000 ms saved per day") != std::string::npos);
  CHECK(description.find("Orders are read by customer") != std::string::npos);
  const auto labels = fields["labels"];
  CHECK(std::find(labels.begin(), labels.end(), Json("pgadvisor-3f9a1c2b7d4e5f60")) != labels.end());
  CHECK(std::find(labels.begin(), labels.end(), Json("pgadvisor")) != labels.end());
  CHECK(body["properties"][0]["value"]["event"] == "recommendation.created");
}

TEST_CASE("payload formats: jira labels never hold spaces; options are used", "[payload_formats]")
{
  CHECK(delivery::jira_label("ab cd/ef") == "pgadvisor-ab_cd_ef");
  delivery::JiraOptions options{"OPS", "Bug"};
  const Json body = delivery::jira_issue(delivery::Event::regressed,
                                         advisor::recommendation_to_json(sample_recommendation(), nullptr), details(),
                                         options);
  CHECK(body["fields"]["project"]["key"] == "OPS");
  CHECK(body["fields"]["issuetype"]["name"] == "Bug");
  CHECK(body["fields"]["description"].get<std::string>().find("recommendation.regressed") != std::string::npos);
}

TEST_CASE("payload formats: invalid UTF-8 in a statement is replaced, not thrown", "[payload_formats]")
{
  auto recommendation = sample_recommendation();
  recommendation.statement = "SELECT '\xff\xfe'";
  for (auto format : {delivery::PayloadFormat::json, delivery::PayloadFormat::slack, delivery::PayloadFormat::jira}) {
    std::string text;
    REQUIRE_NOTHROW(text = delivery::render_payload(format, delivery::Event::created, recommendation, nullptr, details()));
    CHECK_NOTHROW(Json::parse(text));
  }
}

TEST_CASE("payload formats: a stored document missing fields still renders", "[payload_formats]")
{
  const Json sparse = {{"id", "x1"}, {"kind", "analyze"}};
  for (auto format : {delivery::PayloadFormat::json, delivery::PayloadFormat::slack, delivery::PayloadFormat::jira}) {
    const Json body = Json::parse(delivery::render_payload(format, delivery::Event::resolved, sparse, details()));
    CHECK(body.dump().find("x1") != std::string::npos);
  }
}
