#include "heuristics/unvalidated_estimate.hpp"
#include "tests/unit/heuristics/index_candidate_support.hpp"

namespace {

//! Seq Scan on shop.events under an Aggregate, as EXPLAIN ANALYZE reports it.
model::Plan seq_scan_plan(double rows_out, double removed)
{
  model::PlanNode scan;
  scan.node_type = "Seq Scan";
  scan.relation_name = "events";
  scan.schema = "shop";
  scan.filter = "(email ~~ '%gmail%'::text)";
  scan.total_cost = 60000;
  scan.plan_rows = rows_out;
  scan.actual_total_ms = 300;
  scan.actual_rows = rows_out;
  scan.actual_loops = 1;
  scan.rows_removed_by_filter = removed;
  model::Plan plan;
  plan.root.node_type = "Aggregate";
  plan.root.total_cost = 60010;
  plan.root.children.push_back(scan);
  plan.analyzed = true;
  return plan;
}

heuristics::IndexCandidate trigram()
{
  heuristics::IndexCandidate c;
  c.schema = "shop";
  c.table = "events";
  c.columns = {"email"};
  c.descending = {false};
  c.access_method = "gin";
  c.opclasses = {"gin_trgm_ops"};
  c.kind = heuristics::CandidateKind::trigram;
  return c;
}

}  // namespace

TEST_CASE("estimate: a selective infix LIKE over a sequential scan", "[index_candidate_estimate]")
{
  const auto catalog = candidate_support::catalog();
  const auto estimate = heuristics::estimate_unvalidated(trigram(), seq_scan_plan(200, 1'999'800),
                                                         catalog.tables[0], std::string("%gmail.com%"));
  CHECK_FALSE(estimate.validated);
  CHECK(estimate.rows_scanned == Approx(2'000'000));
  CHECK(estimate.scan_cost_before == Approx(60000));
  // 4 trigrams keep 0.2^4 = 0.16 % of the rows (3,200) for the heap: far below the 60,000 scan.
  CHECK(estimate.selectivity == Approx(0.0016));
  CHECK(estimate.scan_cost_after < 12000);
  CHECK(estimate.plan_cost_after < estimate.plan_cost_before);
  CHECK(estimate.improvement() > 0.8);
  CHECK(estimate.reason.find("not validated") != std::string::npos);
}

TEST_CASE("estimate: an unselective filter gains nothing", "[index_candidate_estimate]")
{
  const auto catalog = candidate_support::catalog();
  const auto estimate = heuristics::estimate_unvalidated(trigram(), seq_scan_plan(1'500'000, 500'000),
                                                         catalog.tables[0], std::string("%a%"));
  // '%a%' has no trigram: the index cannot narrow it.
  CHECK(estimate.improvement() == Approx(0));
  CHECK(estimate.reason.find("no run of 3 characters") != std::string::npos);
  const auto wide = heuristics::estimate_unvalidated(trigram(), seq_scan_plan(1'500'000, 500'000), catalog.tables[0],
                                                     std::string("%gmail%"));
  CHECK(wide.improvement() < 0.05);
}

TEST_CASE("estimate: no sequential scan of the table, no benefit", "[index_candidate_estimate]")
{
  const auto catalog = candidate_support::catalog();
  auto plan = seq_scan_plan(200, 1'999'800);
  plan.root.children[0].relation_name = "other";
  const auto estimate = heuristics::estimate_unvalidated(trigram(), plan, catalog.tables[0]);
  CHECK(estimate.plan_cost_after == estimate.plan_cost_before);
  CHECK(estimate.reason.find("does not scan shop.events") != std::string::npos);
}

TEST_CASE("estimate: trigram selectivity", "[index_candidate_estimate]")
{
  CHECK_FALSE(heuristics::trigram_selectivity("%ab%", 1000).has_value());
  CHECK(*heuristics::trigram_selectivity("%abc%", 1000) == Approx(0.2));
  CHECK(*heuristics::trigram_selectivity("%abcd%", 1000) == Approx(0.04));
  // Never below one row.
  CHECK(*heuristics::trigram_selectivity("%a long search phrase%", 1000) == Approx(0.001));
}
