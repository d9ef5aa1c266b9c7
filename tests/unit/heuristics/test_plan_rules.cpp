// Bad input for the plan rules: plans from other PostgreSQL versions (a field missing or
// renamed: hand-edited copies under fixtures/plans/other_versions), plans without ANALYZE,
// and plan files that are truncated or not JSON at all.
#include <set>
#include <stdexcept>

#include "heuristics/rule_registry.hpp"
#include "heuristics/rules/plan_rules.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

namespace {

const heuristics::Rule& rule(const std::string& id)
{
  for (const auto& r : heuristics::all_rules())
    if (r.id == id)
      return r;
  FAIL("no rule " << id);
  throw std::logic_error("unreachable: FAIL throws");
}

}  // namespace

TEST_CASE("plan rules: every cookbook id is registered once", "[plan_rules]")
{
  std::set<std::string> ids;
  for (const auto& r : heuristics::rules::plan_rules())
    CHECK(ids.insert(r.id).second);
  for (const char* id : {"seq_scan_selective_filter", "index_scan_filter_removes_rows", "sort_spill", "hash_spill",
                         "row_misestimate", "nested_loop_large_inner", "lossy_bitmap", "heap_fetches",
                         "workers_not_launched", "jit_overhead", "large_offset", "low_read_efficiency",
                         "stale_statistics", "cte_materialized"}) {
    INFO(id);
    CHECK(ids.count(id) == 1);
  }
}

TEST_CASE("plan rules: a field another version lacks or renames skips the node with a note", "[plan_rules]")
{
  struct Case {
    const char* rule_id;
    const char* fixture;
    const char* field;
  };
  const Case cases[] = {
    {"sort_spill", "external_sort_renamed_space_type", "Sort Space Type"},
    {"hash_spill", "hash_join_spill_no_batches", "Hash Batches"},
    {"heap_fetches", "index_only_no_heap_fetches", "Heap Fetches"},
    {"lossy_bitmap", "lossy_bitmap_no_blocks", "Lossy Heap Blocks"},
    {"workers_not_launched", "workers_no_launched", "Workers Launched"},
    {"index_scan_filter_removes_rows", "index_filter_renamed_removed", "Rows Removed by Filter"},
    {"low_read_efficiency", "bloated_scan_no_buffers", "BUFFERS"},
    {"cte_materialized", "cte_materialized_no_subplan_name", "Subplan Name"},
  };
  const model::Catalog catalog = rule_test::catalog();
  for (const Case& c : cases) {
    INFO(c.rule_id << " on " << c.fixture);
    const model::Plan plan = rule_test::plan(std::string("other_versions/") + c.fixture);
    const auto out = rule_test::run(rule(c.rule_id), &plan, &catalog);
    CHECK(out.findings.empty());
    CHECK(rule_test::any_note(out.notes, c.field));
    CHECK(rule_test::any_note(out.notes, std::string(c.rule_id) + ": "));
  }
}

TEST_CASE("plan rules: without ANALYZE the rules needing actual numbers say so", "[plan_rules]")
{
  const model::Plan plan = rule_test::plan("misestimate_stale_plain");
  REQUIRE_FALSE(plan.analyzed);
  const model::Catalog catalog = rule_test::catalog();
  for (const auto& r : heuristics::rules::plan_rules()) {
    INFO(r.id);
    const auto out = rule_test::run(r, &plan, &catalog);
    if (!r.needs_analyze)
      continue;
    CHECK(out.findings.empty());
    // The three rules of the foundation stay silent; every cookbook rule leaves a note.
    if (r.id != "seq_scan_selective_filter" && r.id != "sort_limit_without_index" && r.id != "unindexed_join_key")
      CHECK(rule_test::any_note(out.notes, "EXPLAIN ANALYZE"));
  }
  // stale_statistics needs no actual numbers: the catalog says the table is stale.
  const auto stale = rule_test::run(rule("stale_statistics"), &plan, &catalog);
  CHECK(stale.findings.size() == 1);
}

TEST_CASE("plan rules: truncated or non-JSON plan files are clear errors", "[plan_rules]")
{
  const std::string whole = rule_test::read_fixture("hash_join_spill.json");
  const auto truncated = model::parse_explain_json(whole.substr(0, whole.size() / 2));
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.error().kind == model::ErrorKind::invalid_input);
  CHECK(rule_test::contains(truncated.error().message, "not JSON"));
  CHECK(truncated.error().position > 0);

  // What psql prints when EXPLAIN failed, saved in place of the plan.
  const auto text = model::parse_explain_json("ERROR:  relation \"ordres\" does not exist\nLINE 1: SELECT ...\n");
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().kind == model::ErrorKind::invalid_input);
  CHECK(rule_test::contains(text.error().hint, "EXPLAIN (FORMAT JSON)"));

  // JSON, but not a plan (psql -A -t of another query).
  const auto other = model::parse_explain_json(R"([{"Query Text": "SELECT 1"}])");
  REQUIRE_FALSE(other.ok());
  CHECK(rule_test::contains(other.error().message, "no \"Plan\""));
}
