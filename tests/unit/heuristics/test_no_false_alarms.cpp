// A healthy set of queries (primary-key lookups, small tables, well-indexed joins, a LIMIT
// without OFFSET, a correct NOT EXISTS), captured from PostgreSQL 15 with their SQL: every
// registered rule, plan and rewrite, must stay silent on all of them.
#include "heuristics/rule_registry.hpp"
#include "parser/query.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

namespace {

std::string sql_without_settings(const std::string& name)
{
  // NAME.sql starts with "-- set: x=y" comment lines; the parser skips comments anyway.
  return rule_test::read_fixture(name + ".sql");
}

}  // namespace

TEST_CASE("no false alarms: healthy queries produce no finding at all", "[no_false_alarms]")
{
  const model::Catalog catalog = rule_test::catalog();
  const char* healthy[] = {
    "pk_lookup",              // primary-key lookup
    "seq_scan_tiny",          // a 20-row table
    "small_sort",             // sorting a 20-row table
    "join_indexed",           // join on an indexed key
    "sort_limit_with_index",  // LIMIT without OFFSET, order from an index
    "not_exists_ok",          // a correct NOT EXISTS on an indexed key
  };
  for (const char* name : healthy) {
    INFO(name);
    auto info = parser::analyse(sql_without_settings(name));
    REQUIRE(info.ok());
    const model::Plan plan = rule_test::plan(name);
    REQUIRE(plan.analyzed);
    // A hot statement: 1,000 calls, each as fast and as small as the captured run.
    model::StatementStats stats;
    stats.calls = 1000;
    stats.total_ms = 1000 * plan.execution_ms.value_or(0);
    stats.mean_ms = plan.execution_ms.value_or(0);
    stats.rows = 1000 * plan.root.total_actual_rows();
    std::vector<std::string> notes;
    heuristics::RuleContext context{&info->shape, &plan, &catalog, &stats, &notes};
    const auto findings = heuristics::run_rules(context, heuristics::RuleSettings{});
    for (const auto& f : findings)
      UNSCOPED_INFO(f.rule_id << ": " << f.title);
    CHECK(findings.empty());
  }
}

TEST_CASE("no false alarms: the registry still catches a sick plan of the same tables", "[no_false_alarms]")
{
  // Guards the test above against passing because nothing runs: the registry finds the
  // problem in a sick plan of the same tables.
  const model::Catalog catalog = rule_test::catalog();
  auto info = parser::analyse(sql_without_settings("large_offset"));
  REQUIRE(info.ok());
  const model::Plan plan = rule_test::plan("large_offset");
  heuristics::RuleContext context{&info->shape, &plan, &catalog};
  const auto findings = heuristics::run_rules(context, heuristics::RuleSettings{});
  REQUIRE_FALSE(findings.empty());
  CHECK(std::any_of(findings.begin(), findings.end(),
                    [](const model::Finding& f) { return f.rule_id == "large_offset"; }));
}
