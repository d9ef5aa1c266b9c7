// Recommendations in the store: de-duplicated by stable id, lifecycle, dismissal sticks.

#include <nlohmann/json.hpp>

#include "connectors/store/recommendation_store.hpp"
#include "tests/unit/connectors/store_support.hpp"

namespace {

connectors::store::FiledRecommendation recommendation(const std::string& id, double score)
{
  return {id, "prod", "create_index", "CREATE INDEX ON t (a);", score, 1000, {"q1"},
          R"({"id":")" + id + R"(","status":"open","first_seen":"","last_seen":""})"};
}

}  // namespace

TEST_CASE("recommendations: filing the same id twice updates it, first_seen stays", "[store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  CHECK(connectors::store::file_recommendation(db, recommendation("r1", 5), "2026-01-01T00:00:00Z").value() == "open");
  CHECK(connectors::store::file_recommendation(db, recommendation("r1", 9), "2026-01-02T00:00:00Z").value() == "open");
  auto all = connectors::store::list_recommendations(db);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  const auto& r = all->front();
  CHECK(r.score == 9);
  CHECK(r.first_seen == "2026-01-01T00:00:00Z");
  CHECK(r.last_seen == "2026-01-02T00:00:00Z");
  const auto document = nlohmann::json::parse(r.document);
  CHECK(document["first_seen"] == "2026-01-01T00:00:00Z");
  CHECK(document["last_seen"] == "2026-01-02T00:00:00Z");
  CHECK(document["status"] == "open");
}

TEST_CASE("recommendations: a dismissed one stays dismissed when filed again", "[store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  REQUIRE(connectors::store::file_recommendation(db, recommendation("r1", 5), "2026-01-01T00:00:00Z").ok());
  CHECK(connectors::store::set_status(db, "r1", "dismissed", "2026-01-01T01:00:00Z").value());
  CHECK(connectors::store::file_recommendation(db, recommendation("r1", 5), "2026-01-02T00:00:00Z").value() ==
        "dismissed");
  CHECK(connectors::store::list_recommendations(db, "open")->empty());
  auto dismissed = connectors::store::list_recommendations(db, "dismissed");
  REQUIRE(dismissed->size() == 1);
  CHECK(nlohmann::json::parse(dismissed->front().document)["status"] == "dismissed");
}

TEST_CASE("recommendations: a resolved one comes back open when it applies again", "[store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  REQUIRE(connectors::store::file_recommendation(db, recommendation("r1", 5), "2026-01-01T00:00:00Z").ok());
  CHECK(connectors::store::set_status(db, "r1", "resolved", "2026-01-02T00:00:00Z").value());
  CHECK(connectors::store::file_recommendation(db, recommendation("r1", 5), "2026-01-03T00:00:00Z").value() == "open");
}

TEST_CASE("recommendations: unknown ids and statuses are reported", "[store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  CHECK_FALSE(connectors::store::set_status(db, "nope", "dismissed", "x").value());
  auto bad = connectors::store::set_status(db, "nope", "done", "x");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == model::ErrorKind::invalid_input);
}

TEST_CASE("recommendations: listed best score first, filtered by status and target", "[store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  REQUIRE(connectors::store::file_recommendation(db, recommendation("low", 1), "t").ok());
  REQUIRE(connectors::store::file_recommendation(db, recommendation("high", 10), "t").ok());
  auto other = recommendation("elsewhere", 5);
  other.target = "staging";
  REQUIRE(connectors::store::file_recommendation(db, other, "t").ok());
  auto all = connectors::store::list_recommendations(db);
  REQUIRE(all->size() == 3);
  CHECK(all->at(0).id == "high");
  CHECK(all->at(1).id == "elsewhere");
  CHECK(connectors::store::list_recommendations(db, "", "staging")->size() == 1);
  CHECK(all->at(0).fingerprints == std::vector<std::string>{"q1"});
}

TEST_CASE("recommendations: applied keeps its time; verification sets status and numbers", "[store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  REQUIRE(connectors::store::file_recommendation(db, recommendation("r1", 5), "2026-01-01T00:00:00Z").ok());
  CHECK(connectors::store::mark_applied(db, "r1", 1767225600.5, "2026-01-01T00:00:00Z").value());
  auto found = connectors::store::find_recommendation(db, "r1");
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->status == "applied");
  REQUIRE((*found)->applied_at.has_value());
  CHECK(*(*found)->applied_at == 1767225600.5);
  CHECK((*found)->verification.empty());

  CHECK(connectors::store::record_verification(db, "r1", "verified", R"({"outcome":"verified","speedup":12.5})",
                                               "2026-01-02T00:00:00Z")
            .value());
  found = connectors::store::find_recommendation(db, "r1");
  REQUIRE(found->has_value());
  CHECK((*found)->status == "verified");
  CHECK((*found)->status_changed == "2026-01-02T00:00:00Z");
  const auto document = nlohmann::json::parse((*found)->document);
  CHECK(document["status"] == "verified");
  CHECK(document["verification"]["speedup"] == 12.5);
  CHECK(connectors::store::record_verification(db, "r1", "no_effect", "{}", "2026-01-03T00:00:00Z").value());
  CHECK(connectors::store::find_recommendation(db, "r1").value()->status == "no_effect");
  CHECK_FALSE(connectors::store::mark_applied(db, "nope", 1, "2026-01-01T00:00:00Z").value());
  CHECK_FALSE(connectors::store::find_recommendation(db, "nope").value().has_value());
}

TEST_CASE("recommendations: filed again after it was applied means it is open again; regressed stays", "[store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  for (const char* status : {"applied", "verified", "no_effect", "regressed", "dismissed"}) {
    const std::string id = std::string("r-") + status;
    REQUIRE(connectors::store::file_recommendation(db, recommendation(id, 5), "2026-01-01T00:00:00Z").ok());
    REQUIRE(connectors::store::mark_applied(db, id, 100, "2026-01-01T00:00:00Z").value());
    if (std::string(status) != "applied")
      REQUIRE(connectors::store::set_status(db, id, status, "2026-01-01T00:00:00Z").value());
    const auto again = connectors::store::file_recommendation(db, recommendation(id, 6), "2026-01-02T00:00:00Z");
    REQUIRE(again.ok());
    const bool reopens = std::string(status) == "applied" || std::string(status) == "verified" ||
                         std::string(status) == "no_effect";
    INFO(status);
    CHECK(*again == (reopens ? std::string("open") : std::string(status)));
    const auto stored = connectors::store::find_recommendation(db, id).value();
    CHECK(stored->applied_at.has_value() == !reopens);
  }
}
