#include <algorithm>

#include "heuristics/rules/seq_scan_selective_filter.hpp"
#include "tests/unit/heuristics/fixture_support.hpp"

namespace {

std::vector<model::Finding> run(const model::Plan& plan, const model::Catalog* catalog = nullptr,
                                heuristics::RuleSettings settings = {})
{
  heuristics::RuleContext context;
  context.plan = &plan;
  context.catalog = catalog;
  return heuristics::rules::seq_scan_selective_filter().run(context, settings);
}

double evidence(const model::Finding& finding, const std::string& name)
{
  auto it = std::find_if(finding.evidence.begin(), finding.evidence.end(),
                         [&](const model::Evidence& e) { return e.name == name; });
  REQUIRE(it != finding.evidence.end());
  return it->value;
}

}  // namespace

TEST_CASE("seq_scan_selective_filter: big table, filter keeps 0.1 %", "[seq_scan_selective_filter]")
{
  const model::Plan plan = test_support::load_plan("seq_scan_selective");
  const model::Catalog catalog = test_support::fixture_catalog();
  const auto findings = run(plan, &catalog);
  REQUIRE(findings.size() == 1);
  const model::Finding& f = findings[0];
  CHECK(f.rule_id == "seq_scan_selective_filter");
  CHECK(f.location == "Seq Scan on orders");
  CHECK(f.relation == "public.orders");
  CHECK(evidence(f, "rows_scanned") == 500000);
  CHECK(evidence(f, "rows_removed") == 499500);
  CHECK(evidence(f, "rows_returned") == 500);
  CHECK(evidence(f, "removed_ratio") == Approx(0.999));
  CHECK(evidence(f, "time") > 0);
  CHECK(evidence(f, "buffers_read") >= 0);
  // The scan is the whole query.
  CHECK(f.time_share > 0.8);
  CHECK(f.time_share <= 1.0);
  CHECK(f.advice.find("status") != std::string::npos);
}

TEST_CASE("seq_scan_selective_filter: without a catalog the rows read decide", "[seq_scan_selective_filter]")
{
  const auto findings = run(test_support::load_plan("seq_scan_selective"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].relation == "orders");
}

TEST_CASE("seq_scan_selective_filter: parallel seq scan counts every worker's rows", "[seq_scan_selective_filter]")
{
  const auto findings = run(test_support::load_plan("parallel_seq_scan"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location == "Parallel Seq Scan on orders");
  CHECK(evidence(findings[0], "rows_scanned") == Approx(500000).epsilon(0.01));
  CHECK(findings[0].time_share <= 1.0);
}

TEST_CASE("seq_scan_selective_filter: a tiny table is not reported", "[seq_scan_selective_filter]")
{
  const model::Catalog catalog = test_support::fixture_catalog();
  CHECK(run(test_support::load_plan("seq_scan_tiny"), &catalog).empty());
  CHECK(run(test_support::load_plan("seq_scan_tiny")).empty());
}

TEST_CASE("seq_scan_selective_filter: index scans and unfiltered scans are not reported", "[seq_scan_selective_filter]")
{
  CHECK(run(test_support::load_plan("index_scan")).empty());
  CHECK(run(test_support::load_plan("bitmap_heap_scan")).empty());
  CHECK(run(test_support::load_plan("external_sort")).empty());
}

TEST_CASE("seq_scan_selective_filter: thresholds come from the settings", "[seq_scan_selective_filter]")
{
  heuristics::RuleSettings settings;
  settings.min_table_rows = 1e6;
  CHECK(run(test_support::load_plan("seq_scan_selective"), nullptr, settings).empty());
  settings = {};
  settings.selective_filter_ratio = 0.9999;
  CHECK(run(test_support::load_plan("seq_scan_selective"), nullptr, settings).empty());
}
