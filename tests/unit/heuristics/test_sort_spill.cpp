#include "heuristics/rules/sort_spill.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::sort_spill;

TEST_CASE("sort_spill: external merge, work_mem from the disk space and rows", "[sort_spill]")
{
  const model::Plan plan = rule_test::plan("external_sort");
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(sort_spill(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.relation == "public.orders");
  CHECK(rule_test::evidence(f, "sort_space_disk") == 16696);
  CHECK(rule_test::unit(f, "sort_space_disk") == "kB");
  CHECK(rule_test::evidence(f, "rows_sorted") == 500000);
  // Measured on PostgreSQL 15: this sort takes 43,539 kB in memory; the advice must cover it
  // without asking for several times more.
  const double needed = rule_test::evidence(f, "work_mem_needed");
  CHECK(needed >= 43539);
  CHECK(needed <= 43539 * 1.5);
  CHECK(rule_test::contains(f.advice, "SET work_mem = '50MB'"));
  CHECK(f.time_share > 0.3);
}

TEST_CASE("sort_spill: a narrow sort of a stale table needs more than twice its disk space", "[sort_spill]")
{
  const model::Plan plan = rule_test::plan("misestimate_stale");
  const auto out = rule_test::run(sort_spill(), &plan);
  REQUIRE(out.findings.size() == 1);
  // Measured: 1,328 kB on disk, 4,662 kB in memory.
  CHECK(rule_test::evidence(out.findings[0], "work_mem_needed") >= 4662);
  CHECK(rule_test::contains(out.findings[0].advice, "'5MB'"));
}

TEST_CASE("sort_spill: in-memory sorts are not reported", "[sort_spill]")
{
  for (const char* name : {"small_sort", "sort_limit_no_index", "misestimate_correlated"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    const auto out = rule_test::run(sort_spill(), &plan);
    CHECK(out.findings.empty());
    CHECK(out.notes.empty());
  }
}
