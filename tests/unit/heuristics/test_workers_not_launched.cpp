#include "heuristics/rules/workers_not_launched.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::workers_not_launched;

TEST_CASE("workers_not_launched: 2 planned, 0 launched", "[workers_not_launched]")
{
  const model::Plan plan = rule_test::plan("workers_not_launched");
  const auto out = rule_test::run(workers_not_launched(), &plan);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.location == "Gather");
  CHECK(rule_test::evidence(f, "workers_planned") == 2);
  CHECK(rule_test::evidence(f, "workers_launched") == 0);
  // The gather is nearly the whole query; 2 of its 3 planned processes were missing.
  CHECK(f.time_share == Approx(2.0 / 3).margin(0.05));
  CHECK(rule_test::contains(f.advice, "max_parallel_workers"));
}

TEST_CASE("workers_not_launched: all workers launched, or no parallelism", "[workers_not_launched]")
{
  for (const char* name : {"parallel_seq_scan", "pk_lookup", "seq_scan_selective"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(workers_not_launched(), &plan).findings.empty());
  }
}
