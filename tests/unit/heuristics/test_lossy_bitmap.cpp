#include "heuristics/rules/lossy_bitmap.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::lossy_bitmap;

TEST_CASE("lossy_bitmap: 64kB of work_mem for a bitmap of 7,353 blocks", "[lossy_bitmap]")
{
  const model::Plan plan = rule_test::plan("lossy_bitmap");
  const auto out = rule_test::run(lossy_bitmap(), &plan);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(rule_test::evidence(f, "lossy_heap_blocks") == 6724);
  CHECK(rule_test::evidence(f, "exact_heap_blocks") == 629);
  CHECK(rule_test::evidence(f, "rows_removed_by_index_recheck") > 800000);
  CHECK(rule_test::contains(f.advice, "SET work_mem = '1MB'"));
  CHECK(f.time_share > 0.3);
}

TEST_CASE("lossy_bitmap: exact bitmaps are not reported", "[lossy_bitmap]")
{
  for (const char* name : {"bitmap_heap_scan", "index_filter_removes", "cte_inlined"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(lossy_bitmap(), &plan).findings.empty());
  }
}
