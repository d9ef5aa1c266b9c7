#include <fstream>
#include <set>
#include <sstream>

#include "heuristics/rule_registry.hpp"
#include "parser/query.hpp"
#include "tests/unit/heuristics/fixture_support.hpp"

TEST_CASE("registry: ids are unique and every rule can run", "[rule_registry]")
{
  std::set<std::string> ids;
  for (const auto& rule : heuristics::all_rules()) {
    CHECK(ids.insert(rule.id).second);
    CHECK(!rule.title.empty());
    CHECK(static_cast<bool>(rule.run));
  }
  CHECK(ids.count("seq_scan_selective_filter") == 1);
  CHECK(ids.count("sort_limit_without_index") == 1);
  CHECK(ids.count("unindexed_join_key") == 1);
}

TEST_CASE("registry: findings sorted by time share, largest first", "[rule_registry]")
{
  const model::Plan plan = test_support::load_plan("external_sort");
  const model::Catalog catalog = test_support::fixture_catalog();
  heuristics::RuleContext context{nullptr, &plan, &catalog};
  heuristics::RuleSettings settings;
  settings.selective_filter_ratio = 0;  // make the unfiltered scan a finding too
  const auto findings = heuristics::run_rules(context, settings);
  REQUIRE(findings.size() >= 1);
  for (std::size_t i = 1; i < findings.size(); ++i)
    CHECK(findings[i - 1].time_share >= findings[i].time_share);
}

TEST_CASE("registry: disabled rules do not run", "[rule_registry]")
{
  const model::Plan plan = test_support::load_plan("sort_limit_no_index");
  heuristics::RuleContext context{nullptr, &plan, nullptr};
  heuristics::RuleSettings settings;
  REQUIRE(heuristics::run_rules(context, settings).size() == 1);
  settings.disabled.insert("sort_limit_without_index");
  CHECK(heuristics::run_rules(context, settings).empty());
}

TEST_CASE("registry: rules needing ANALYZE skip a plain plan, others need a plan", "[rule_registry]")
{
  const model::Plan plain = test_support::load_plan("plain_join");
  heuristics::RuleContext context{nullptr, &plain, nullptr};
  heuristics::RuleSettings settings;
  settings.selective_filter_ratio = 0;
  for (const auto& finding : heuristics::run_rules(context, settings))
    CHECK(finding.rule_id != "seq_scan_selective_filter");

  heuristics::RuleContext no_plan;
  CHECK(heuristics::run_rules(no_plan, settings).empty());
}

TEST_CASE("registry: a fixture's SQL through the parser and its plan", "[rule_registry]")
{
  std::ifstream in(std::string(PGADVISOR_FIXTURES) + "/plans/join_unindexed.sql");
  REQUIRE(in.good());
  std::stringstream sql;
  sql << in.rdbuf();
  auto info = parser::analyse(sql.str());
  REQUIRE(info.ok());
  const model::Plan plan = test_support::load_plan("join_unindexed");
  const model::Catalog catalog = test_support::fixture_catalog();
  heuristics::RuleContext context{&info->shape, &plan, &catalog};
  const auto findings = heuristics::run_rules(context, heuristics::RuleSettings{});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule_id == "unindexed_join_key");
  CHECK(findings[0].relation == "public.orders");
  CHECK(findings[0].advice.find("(customer_id)") != std::string::npos);
}
