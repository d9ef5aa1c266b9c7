#include "heuristics/rules/low_read_efficiency.hpp"
#include "tests/unit/heuristics/rule_test_support.hpp"

using heuristics::rules::low_read_efficiency;

TEST_CASE("low_read_efficiency: 2,942 buffers for 100 live rows", "[low_read_efficiency]")
{
  const model::Plan plan = rule_test::plan("bloated_scan");
  const auto out = rule_test::run(low_read_efficiency(), &plan);
  REQUIRE(out.findings.size() == 1);
  const auto& f = out.findings[0];
  CHECK(rule_test::evidence(f, "buffers") == 2942);
  CHECK(rule_test::evidence(f, "rows_read") == 100);
  CHECK(rule_test::evidence(f, "buffers_per_row") == Approx(29.42));
  CHECK(rule_test::contains(f.advice, "VACUUM bloated"));
  CHECK(f.time_share > 0.9);
}

TEST_CASE("low_read_efficiency: dense scans and cheap probes are not reported", "[low_read_efficiency]")
{
  // seq_scan_selective reads 8 kB pages full of rows its filter removes: another rule's finding.
  for (const char* name : {"seq_scan_selective", "join_full_hash", "not_exists_ok", "large_offset", "lossy_bitmap",
                           "index_only_heap_fetches"}) {
    INFO(name);
    const model::Plan plan = rule_test::plan(name);
    CHECK(rule_test::run(low_read_efficiency(), &plan).findings.empty());
  }
}
