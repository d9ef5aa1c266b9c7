#include <algorithm>

#include "heuristics/plan_summary.hpp"
#include "tests/unit/heuristics/fixture_support.hpp"

TEST_CASE("plan_summary: nodes by exclusive time", "[plan_summary]")
{
  const model::Plan plan = test_support::load_plan("join_full_hash");
  const auto top = heuristics::top_nodes(plan, 3);
  REQUIRE(top.size() == 3);
  for (std::size_t i = 1; i < top.size(); ++i)
    CHECK(top[i - 1].exclusive_ms >= top[i].exclusive_ms);
  double share = 0;
  for (const auto& node : heuristics::top_nodes(plan, 100)) {
    CHECK(node.share >= 0);
    CHECK(node.share <= 1);
    share += node.share;
  }
  CHECK(share == Approx(1.0).epsilon(0.05));
  CHECK(top[0].actual_rows.has_value());
  CHECK(top[0].misestimate.value_or(0) >= 1);
}

TEST_CASE("plan_summary: rows, loops and own buffers", "[plan_summary]")
{
  const model::Plan plan = test_support::load_plan("join_indexed");
  const auto all = heuristics::top_nodes(plan, 10);
  REQUIRE(all.size() == 3);
  const auto inner = std::find_if(all.begin(), all.end(), [](const heuristics::NodeCost& n) {
    return n.label == "Index Scan using order_items_order_id_idx on order_items i";
  });
  REQUIRE(inner != all.end());
  CHECK(inner->loops == 51);
  CHECK(inner->actual_rows == 2);
  CHECK(inner->depth == 1);
  const auto root = std::find_if(all.begin(), all.end(), [](const heuristics::NodeCost& n) { return n.depth == 0; });
  REQUIRE(root != all.end());
  // The join reads no pages itself: its children do.
  CHECK(root->shared_hit + root->shared_read == 0);
  CHECK(inner->shared_hit + inner->shared_read > 0);
}

TEST_CASE("plan_summary: a plain plan ranks by cost", "[plan_summary]")
{
  const model::Plan plan = test_support::load_plan("plain_join");
  const auto top = heuristics::top_nodes(plan, 2);
  REQUIRE(top.size() == 2);
  CHECK(top[0].exclusive_cost >= top[1].exclusive_cost);
  CHECK(top[0].share > 0);
  CHECK_FALSE(top[0].misestimate.has_value());
  CHECK(top[0].exclusive_ms == 0);
}
