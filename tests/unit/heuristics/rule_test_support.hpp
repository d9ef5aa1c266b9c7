#pragma once
// Helpers for the plan rule tests: run one rule on a fixture, read its evidence, load the
// captured table activity (NAME.activity.json from scripts/capture-plan-fixtures).

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "heuristics/rule.hpp"
#include "tests/unit/heuristics/fixture_support.hpp"

namespace rule_test {

inline std::string read_fixture(const std::string& relative)
{
  std::ifstream in(std::string(PGADVISOR_FIXTURES) + "/plans/" + relative);
  REQUIRE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

//! A plan under tests/fixtures/plans/, e.g. "sort_spill" or "other_versions/x".
inline model::Plan plan(const std::string& name)
{
  auto parsed = model::parse_explain_json(read_fixture(name + ".json"));
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

struct Outcome {
  std::vector<model::Finding> findings;
  std::vector<std::string> notes;
};

inline Outcome run(const heuristics::Rule& rule, const model::Plan* plan, const model::Catalog* catalog = nullptr,
                   const heuristics::RuleSettings& settings = {}, const parser::QueryShape* shape = nullptr)
{
  Outcome out;
  heuristics::RuleContext context;
  context.plan = plan;
  context.catalog = catalog;
  context.shape = shape;
  context.notes = &out.notes;
  out.findings = rule.run(context, settings);
  for (const auto& finding : out.findings) {
    CHECK(finding.rule_id == rule.id);
    CHECK(finding.time_share >= 0);
    CHECK(finding.time_share <= 1);
    CHECK(!finding.title.empty());
    CHECK(!finding.advice.empty());
  }
  return out;
}

inline double evidence(const model::Finding& finding, const std::string& name)
{
  auto it = std::find_if(finding.evidence.begin(), finding.evidence.end(),
                         [&](const model::Evidence& e) { return e.name == name; });
  INFO("evidence " << name);
  REQUIRE(it != finding.evidence.end());
  return it->value;
}

inline std::string unit(const model::Finding& finding, const std::string& name)
{
  for (const auto& e : finding.evidence)
    if (e.name == name)
      return e.unit;
  return {};
}

inline bool contains(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

inline bool any_note(const std::vector<std::string>& notes, const std::string& part)
{
  return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return contains(n, part); });
}

//! pg_stat_user_tables as captured for one table (NAME.activity.json).
inline model::TableActivity activity(const std::string& name)
{
  const auto json = nlohmann::json::parse(read_fixture(name + ".activity.json"));
  model::TableActivity a;
  a.seq_scan = json.at("seq_scan").get<std::int64_t>();
  a.idx_scan = json.at("idx_scan").get<std::int64_t>();
  a.n_live_tup = json.at("n_live_tup").get<std::int64_t>();
  a.n_dead_tup = json.at("n_dead_tup").get<std::int64_t>();
  a.n_mod_since_analyze = json.at("n_mod_since_analyze").get<std::int64_t>();
  a.n_tup_ins = json.at("n_tup_ins").get<std::int64_t>();
  a.n_tup_upd = json.at("n_tup_upd").get<std::int64_t>();
  a.n_tup_del = json.at("n_tup_del").get<std::int64_t>();
  if (!json.at("seconds_since_analyze").is_null())
    a.seconds_since_analyze = json.at("seconds_since_analyze").get<double>();
  return a;
}

//! The fixture catalog plus the cookbook's tables, with the captured activity of orders and
//! stale_events.
inline model::Catalog catalog()
{
  model::Catalog c = test_support::fixture_catalog();
  for (auto& table : c.tables)
    if (table.name == "orders")
      table.activity = activity("activity_orders");
  model::TableInfo stale{"public", "stale_events", 100000, 800, 6500000, {}, {}, {}};
  stale.columns = {test_support::column_stats("id", -1), test_support::column_stats("flag", 1),
                   test_support::column_stats("payload", -1)};
  stale.activity = activity("activity_stale_events");
  c.tables.push_back(stale);
  model::TableInfo corr{"public", "corr", 100000, 541, 4431872, {}, {}, {}};
  corr.columns = {test_support::column_stats("id", -1), test_support::column_stats("a", 100),
                  test_support::column_stats("b", 100), test_support::column_stats("c", -1)};
  corr.indexes = {test_support::btree("corr_pkey", "corr", {"id"})};
  c.tables.push_back(corr);
  return c;
}

}  // namespace rule_test
