// A database without the hypopg extension: the analysis still runs, says so, and marks its
// index advice as unvalidated with a lower confidence.

#include <nlohmann/json.hpp>

#include "tests/integration/advisor/sandbox.hpp"

namespace {

std::string replace_dbname(const std::string& dsn, const std::string& dbname)
{
  const std::string key = "dbname=";
  const auto start = dsn.find(key);
  REQUIRE(start != std::string::npos);
  const auto end = dsn.find(' ', start);
  return dsn.substr(0, start) + key + dbname + (end == std::string::npos ? "" : dsn.substr(end));
}

}  // namespace

TEST_CASE("without hypopg: advice is given, unvalidated, and the report says why", "[integration]")
{
  sandbox::admin("DROP DATABASE IF EXISTS pgadvisor_nohypo WITH (FORCE)");
  sandbox::admin("CREATE DATABASE pgadvisor_nohypo OWNER advisor");
  {
    pqxx::connection conn(replace_dbname(sandbox::admin_dsn(), "pgadvisor_nohypo"));
    pqxx::nontransaction tx(conn);
    tx.exec(R"sql(
      CREATE TABLE public.items (id bigint PRIMARY KEY, code text NOT NULL);
      INSERT INTO public.items SELECT g, 'code-' || g FROM generate_series(1, 100000) g;
      GRANT SELECT ON public.items TO advisor;
      ANALYZE public.items;
    )sql");
    REQUIRE(tx.exec("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'").empty());
  }

  auto run = sandbox::run({"analyze", "--db", replace_dbname(sandbox::test_dsn(), "pgadvisor_nohypo"),
                           "--format", "json", "SELECT id FROM public.items WHERE code = 'code-77'"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  auto report = nlohmann::json::parse(run.out);
  bool said_so = false;
  for (const auto& note : report["notes"])
    said_so = said_so || note.get<std::string>().find("HypoPG is not installed") != std::string::npos;
  CHECK(said_so);
  REQUIRE(report["recommendations"].size() == 1);
  const auto& rec = report["recommendations"][0];
  CHECK(rec["validated"] == false);
  CHECK(rec["confidence"].get<double>() < 0.5);
  CHECK(rec["statement"].get<std::string>().find("ON public.items (code)") != std::string::npos);
  CHECK(rec["estimate"]["cost_after"].is_null());

  sandbox::admin("DROP DATABASE IF EXISTS pgadvisor_nohypo WITH (FORCE)");
}
