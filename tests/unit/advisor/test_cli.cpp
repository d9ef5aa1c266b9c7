#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/catch.hpp"
#include "tests/support/cli_runner.hpp"

using test_support::run;

namespace {

std::string fixture(const std::string& name) { return std::string(PGADVISOR_FIXTURES) + "/" + name; }

}  // namespace

TEST_CASE("cli: usage errors exit 2", "[advisor]")
{
  CHECK(run({}).exit_code == 2);
  auto unknown = run({"frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown command 'frobnicate'") != std::string::npos);
  auto bad_option = run({"analyze", "--no-such-option", "SELECT 1"});
  CHECK(bad_option.exit_code == 2);
  CHECK(bad_option.err.find("no-such-option") != std::string::npos);
  auto bad_format = run({"fingerprint", "--format", "yaml", "SELECT 1"});
  CHECK(bad_format.exit_code == 2);
  CHECK(bad_format.err.find("--format must be text or json") != std::string::npos);
  CHECK(run({"analyze"}).exit_code == 2);
  CHECK(run({"analyze", "--min-improvement", "150", "SELECT 1"}).exit_code == 2);
}

TEST_CASE("cli: --help and --version exit 0", "[advisor]")
{
  auto help = run({"analyze", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--fail-on-recommendations") != std::string::npos);
  auto version = run({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("pgadvisor ", 0) == 0);
}

TEST_CASE("cli: fingerprint prints the fingerprint and normalised text", "[advisor]")
{
  auto one = run({"fingerprint", "SELECT * FROM orders WHERE id = 1"});
  auto two = run({"fingerprint", "select *  from orders where id = 2"});
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  CHECK(one.out.substr(0, 16) == two.out.substr(0, 16));
  CHECK(one.out.find("WHERE id = $1") != std::string::npos);

  auto json = run({"fingerprint", "--format", "json", "-"}, "SELECT a FROM t WHERE b = 'x'");
  REQUIRE(json.exit_code == 0);
  auto document = nlohmann::json::parse(json.out);
  CHECK(document["fingerprint"].get<std::string>().size() == 16);
  CHECK(document["normalized"] == "SELECT a FROM t WHERE b = $1");
}

TEST_CASE("cli: fingerprint of invalid SQL exits 1 with the position", "[advisor]")
{
  auto bad = run({"fingerprint", "SELEC 1"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("syntax error") != std::string::npos);
  CHECK(bad.err.find("position 1") != std::string::npos);
}

TEST_CASE("cli: analyze --plan works offline on a saved plan", "[advisor]")
{
  auto text = run({"analyze", "--plan", fixture("plans/seq_scan_selective.json")});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("[seq_scan_selective_filter]") != std::string::npos);
  CHECK(text.out.find("Seq Scan") != std::string::npos);

  auto json = run({"analyze", "--format", "json", "--plan", fixture("plans/seq_scan_selective.json"), "-f",
                   fixture("plans/seq_scan_selective.sql")});
  REQUIRE(json.exit_code == 0);
  auto document = nlohmann::json::parse(json.out);
  CHECK(document["query"]["fingerprint"].get<std::string>().size() == 16);
  CHECK(document["plan"]["analyzed"] == true);
  REQUIRE_FALSE(document["findings"].empty());
  CHECK(document["findings"][0]["id"] == "seq_scan_selective_filter");
  CHECK(document["recommendations"].empty());
}

TEST_CASE("cli: a plan file that is not EXPLAIN JSON exits 1 and says why", "[advisor]")
{
  const std::string path = "/tmp/pgadvisor-unit-not-a-plan.json";
  {
    std::ofstream file(path);
    file << "{\"hello\": \"world\"}";
  }
  auto not_plan = run({"analyze", "--plan", path});
  CHECK(not_plan.exit_code == 1);
  CHECK(not_plan.err.find("Plan") != std::string::npos);

  {
    std::ofstream file(path);
    file << "Seq Scan on orders  (cost=0.00..1.00 rows=1 width=4)";
  }
  auto text_plan = run({"analyze", "--plan", path});
  CHECK(text_plan.exit_code == 1);
  CHECK(text_plan.err.find("JSON") != std::string::npos);

  auto missing = run({"analyze", "--plan", "/nonexistent/plan.json"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("/nonexistent/plan.json") != std::string::npos);
}
