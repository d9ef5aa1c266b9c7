#include "heuristics/rules/heap_fetches.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::heap_fetches;

TEST_CASE("heap_fetches: never-vacuumed table, every row fetched from the heap", "[heap_fetches]")
{
  const model::Plan plan = rule_test::plan("index_only_heap_fetches");
  const auto out = rule_test::run(heap_fetches(), &plan);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.relation == "hf_items");
  CHECK(rule_test::evidence(f, "heap_fetches") == 49999);
  CHECK(rule_test::evidence(f, "heap_fetch_ratio") == Approx(1.0));
  CHECK(rule_test::contains(f.advice, "VACUUM hf_items"));
  CHECK(f.time_share > 0.5);
}

TEST_CASE("heap_fetches: a vacuumed table's index-only scan is not reported", "[heap_fetches]")
{
  const model::Plan plan = rule_test::plan("index_only_clean");
  CHECK(rule_test::run(heap_fetches(), &plan).findings.empty());
  heuristics::RuleSettings settings;
  settings.heap_fetch_min = 100000;
  const model::Plan dirty = rule_test::plan("index_only_heap_fetches");
  CHECK(rule_test::run(heap_fetches(), &dirty, nullptr, settings).findings.empty());
}
