#include "heuristics/rules/hash_spill.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::hash_spill;

TEST_CASE("hash_spill: hash join in 8 batches", "[hash_spill]")
{
  const model::Plan plan = rule_test::plan("hash_join_spill");
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(hash_spill(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.relation == "public.customers");
  CHECK(rule_test::contains(f.location, "Hash Join"));
  CHECK(rule_test::evidence(f, "hash_batches") == 8);
  CHECK(rule_test::evidence(f, "peak_memory") == 425);
  // Measured: the same join in one batch peaks at 2,856 kB.
  CHECK(rule_test::evidence(f, "hash_memory_needed") >= 2856);
  CHECK(rule_test::contains(f.advice, "hash_mem_multiplier"));
  CHECK(rule_test::contains(f.advice, "SET work_mem = '2MB'"));
  CHECK(f.time_share > 0);
}

TEST_CASE("hash_spill: hash aggregate that wrote temp blocks", "[hash_spill]")
{
  // The captured plan (PostgreSQL 15) prints HashAgg Batches 9, Disk Usage 15,320 kB and a
  // peak of 1,041 kB: measured in one batch the same aggregate needs 7,185 kB.
  model::Plan plan = rule_test::plan("hashagg_spill");
  REQUIRE(plan.root.hashagg_batches);
  REQUIRE(plan.root.disk_usage_kb);
  const auto precise = rule_test::run(hash_spill(), &plan);
  REQUIRE(precise.findings.size() == 1);
  CHECK(rule_test::contains(precise.findings[0].title, "Hash aggregate spilled"));
  CHECK(rule_test::evidence(precise.findings[0], "hashagg_batches") == 9);
  CHECK(rule_test::evidence(precise.findings[0], "disk_usage") == 15320);
  CHECK(rule_test::evidence(precise.findings[0], "hash_memory_needed") == Approx(9 * 1041));
  CHECK(rule_test::evidence(precise.findings[0], "hash_memory_needed") >= 7185);
  CHECK(precise.findings[0].time_share > 0.5);

  // A plan without those fields (PostgreSQL 12): the temp blocks written bound it instead.
  plan.root.hashagg_batches.reset();
  plan.root.disk_usage_kb.reset();
  const auto rough = rule_test::run(hash_spill(), &plan);
  REQUIRE(rough.findings.size() == 1);
  CHECK(rule_test::evidence(rough.findings[0], "disk_usage") == 3190 * 8);
}

TEST_CASE("hash_spill: joins and aggregates in memory are not reported", "[hash_spill]")
{
  for (const char* name : {"jit_small_share", "join_full_hash", "jit_overhead", "join_indexed"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(hash_spill(), &plan).findings.empty());
  }
  model::Plan plan = rule_test::plan("hashagg_spill");
  plan.root.hashagg_batches = 1;
  CHECK(rule_test::run(hash_spill(), &plan).findings.empty());
}
