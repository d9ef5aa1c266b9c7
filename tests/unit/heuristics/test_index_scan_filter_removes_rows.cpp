#include "heuristics/rules/index_scan_filter_removes_rows.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::index_scan_filter_removes_rows;

TEST_CASE("index_scan_filter_removes_rows: bitmap scan on created_at filters status", "[index_scan_filter_removes_rows]")
{
  const model::Plan plan = rule_test::plan("index_filter_removes");
  const model::Catalog catalog = rule_test::catalog();
  const auto out = rule_test::run(index_scan_filter_removes_rows(), &plan, &catalog);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(f.location == "Bitmap Heap Scan on orders");
  CHECK(f.relation == "public.orders");
  CHECK(rule_test::evidence(f, "rows_removed_by_filter") == 29341);
  CHECK(rule_test::evidence(f, "rows_returned") == 30);
  CHECK(rule_test::evidence(f, "removed_ratio") == Approx(29341.0 / 29371));
  CHECK(rule_test::unit(f, "time") == "ms");
  CHECK(f.time_share > 0.5);
  // status is tested with equality: it leads the suggested index, created_at (the range) follows.
  CHECK(rule_test::contains(f.advice, "CREATE INDEX ON public.orders (status, created_at)"));
  CHECK(rule_test::contains(f.advice, "orders_created_at_idx"));
}

TEST_CASE("index_scan_filter_removes_rows: lookups without a wasteful filter are not reported",
          "[index_scan_filter_removes_rows]")
{
  for (const char* name : {"pk_lookup", "join_indexed", "not_exists_ok", "index_only_clean", "seq_scan_selective"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(index_scan_filter_removes_rows(), &plan).findings.empty());
  }
}

TEST_CASE("index_scan_filter_removes_rows: thresholds and plans without ANALYZE", "[index_scan_filter_removes_rows]")
{
  const model::Plan plan = rule_test::plan("index_filter_removes");
  heuristics::RuleSettings settings;
  settings.index_filter_min_removed = 50000;
  CHECK(rule_test::run(index_scan_filter_removes_rows(), &plan, nullptr, settings).findings.empty());

  const model::Plan plain = rule_test::plan("misestimate_stale_plain");
  const auto out = rule_test::run(index_scan_filter_removes_rows(), &plain);
  CHECK(out.findings.empty());
  CHECK(rule_test::any_note(out.notes, "EXPLAIN ANALYZE"));
}
