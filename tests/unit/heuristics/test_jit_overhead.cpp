#include "heuristics/rules/jit_overhead.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::jit_overhead;

TEST_CASE("jit_overhead: forced JIT with inlining on a short query", "[jit_overhead]")
{
  const model::Plan plan = rule_test::plan("jit_overhead");
  REQUIRE(plan.jit_ms.has_value());
  const auto out = rule_test::run(jit_overhead(), &plan);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(rule_test::evidence(f, "jit_time") == Approx(*plan.jit_ms));
  CHECK(rule_test::evidence(f, "jit_share") > 0.5);
  CHECK(f.time_share == Approx(rule_test::evidence(f, "jit_share")));
  CHECK(rule_test::contains(f.advice, "jit_above_cost"));
}

TEST_CASE("jit_overhead: JIT that is a small share, or no JIT", "[jit_overhead]")
{
  for (const char* name : {"jit_small_share", "seq_scan_tiny", "join_full_hash"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(jit_overhead(), &plan).findings.empty());
  }
}
