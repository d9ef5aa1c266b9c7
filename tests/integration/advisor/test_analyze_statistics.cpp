// Stale statistics end to end: `pgadvisor analyze` on a table that grew tenfold since its last
// ANALYZE recommends "ANALYZE <table>;" (kind analyze, low risk), and after that ANALYZE the
// recommendation is gone.

#include <nlohmann/json.hpp>

#include "tests/integration/advisor/sandbox.hpp"

namespace {

nlohmann::json analyze_recommendation(const nlohmann::json& report)
{
  for (const auto& r : report["recommendations"])
    if (r["kind"] == "analyze")
      return r;
  return nullptr;
}

}  // namespace

TEST_CASE("analyze: a table modified since its last ANALYZE gets an analyze recommendation", "[integration]")
{
  // autovacuum off for the table: its own ANALYZE would race the test.
  sandbox::admin(R"sql(
    SET client_min_messages = warning;
    DROP SCHEMA IF EXISTS e2e_stale CASCADE;
    CREATE SCHEMA e2e_stale;
    GRANT USAGE ON SCHEMA e2e_stale TO advisor;
    CREATE TABLE e2e_stale.readings (id bigint PRIMARY KEY, sensor int NOT NULL, value float8 NOT NULL)
      WITH (autovacuum_enabled = false);
    INSERT INTO e2e_stale.readings SELECT g, g % 100, g FROM generate_series(1, 20000) g;
    ANALYZE e2e_stale.readings;
    INSERT INTO e2e_stale.readings SELECT g, 7, g FROM generate_series(20001, 220000) g;
    GRANT SELECT ON ALL TABLES IN SCHEMA e2e_stale TO advisor;
  )sql");
  const std::string sql = "SELECT sensor, count(*) FROM e2e_stale.readings WHERE sensor = 7 GROUP BY sensor";
  auto before = sandbox::run({"analyze", "--db", sandbox::test_dsn(), "--format", "json", sql});
  INFO(before.out << before.err);
  REQUIRE(before.exit_code == 0);
  const auto report = nlohmann::json::parse(before.out);
  const auto recommendation = analyze_recommendation(report);
  REQUIRE_FALSE(recommendation.is_null());
  CHECK(recommendation["statement"] == "ANALYZE e2e_stale.readings;");
  CHECK(recommendation["risk"] == "low");
  CHECK(recommendation["trace"]["findings"][0]["id"] == "stale_statistics");
  CHECK(recommendation["estimate"]["improvement"].get<double>() > 0);

  sandbox::admin("ANALYZE e2e_stale.readings");
  auto after = sandbox::run({"analyze", "--db", sandbox::test_dsn(), "--format", "json", sql});
  REQUIRE(after.exit_code == 0);
  CHECK(analyze_recommendation(nlohmann::json::parse(after.out)).is_null());
  sandbox::admin("DROP SCHEMA e2e_stale CASCADE");
}
