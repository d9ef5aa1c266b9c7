#include <algorithm>

#include "heuristics/rules/sort_limit_without_index.hpp"
#include "tests/unit/heuristics/fixture_support.hpp"

namespace {

std::vector<model::Finding> run(const model::Plan& plan, heuristics::RuleSettings settings = {})
{
  const model::Catalog catalog = test_support::fixture_catalog();
  heuristics::RuleContext context;
  context.plan = &plan;
  context.catalog = &catalog;
  return heuristics::rules::sort_limit_without_index().run(context, settings);
}

}  // namespace

TEST_CASE("sort_limit_without_index: top-N heapsort over the whole table", "[sort_limit_without_index]")
{
  const auto findings = run(test_support::load_plan("sort_limit_no_index"));
  REQUIRE(findings.size() == 1);
  const model::Finding& f = findings[0];
  CHECK(f.rule_id == "sort_limit_without_index");
  CHECK(f.title.find("Top-N sort (top-N heapsort) of 500,000 rows") == 0);
  CHECK(f.location == "Sort by total DESC");
  CHECK(f.relation == "public.orders");
  CHECK(f.evidence.at(0).name == "input_rows");
  CHECK(f.evidence.at(0).value == 500000);
  CHECK(std::any_of(f.evidence.begin(), f.evidence.end(),
                    [](const model::Evidence& e) { return e.name == "sort_space_memory" && e.unit == "kB"; }));
  CHECK(f.time_share > 0);
  CHECK(f.advice.find("total DESC") != std::string::npos);
}

TEST_CASE("sort_limit_without_index: an index providing the order means no sort", "[sort_limit_without_index]")
{
  CHECK(run(test_support::load_plan("sort_limit_with_index")).empty());
}

TEST_CASE("sort_limit_without_index: a small sort is fine", "[sort_limit_without_index]")
{
  CHECK(run(test_support::load_plan("small_sort")).empty());
}

TEST_CASE("sort_limit_without_index: a large sort spilling to disk", "[sort_limit_without_index]")
{
  const auto findings = run(test_support::load_plan("external_sort"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].title.find("Sort (external merge) of 500,000 rows") == 0);
  CHECK(std::any_of(findings[0].evidence.begin(), findings[0].evidence.end(),
                    [](const model::Evidence& e) { return e.name == "sort_space_disk" && e.value > 0; }));
  heuristics::RuleSettings settings;
  settings.large_sort_rows = 1e6;
  CHECK(run(test_support::load_plan("external_sort"), settings).empty());
}

TEST_CASE("sort_limit_without_index: works on estimates without ANALYZE", "[sort_limit_without_index]")
{
  const auto findings = run(test_support::load_plan("plain_join"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].time_share == 0);
  CHECK(findings[0].evidence.back().name == "sort_cost");
}
