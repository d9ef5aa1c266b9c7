#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/plan.hpp"
#include "tests/support/catch.hpp"

namespace {

std::string read_fixture(const std::string& name)
{
  std::ifstream in(std::string(PGADVISOR_FIXTURES) + "/plans/" + name);
  REQUIRE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

model::Plan load(const std::string& name)
{
  auto plan = model::parse_explain_json(read_fixture(name));
  INFO(name << ": " << (plan.ok() ? "" : plan.error().message));
  REQUIRE(plan.ok());
  return std::move(plan).value();
}

}  // namespace

TEST_CASE("plan: seq scan with filter, analyze and buffers", "[plan]")
{
  const model::Plan plan = load("seq_scan_selective.json");
  const model::PlanNode& scan = plan.root;
  CHECK(plan.analyzed);
  CHECK(plan.execution_ms.value_or(0) > 0);
  CHECK(plan.planning_ms.has_value());
  CHECK(scan.node_type == "Seq Scan");
  CHECK(scan.relation_name == "orders");
  CHECK(scan.alias == "orders");
  CHECK(scan.filter == "(status = 'lost'::text)");
  CHECK(scan.actual_rows == 500);
  CHECK(scan.rows_removed_by_filter == 499500);
  CHECK(scan.loops() == 1);
  CHECK(scan.has_buffers);
  CHECK(scan.buffers.shared_hit + scan.buffers.shared_read > 1000);
  CHECK(scan.total_cost > scan.startup_cost);
  CHECK(scan.plan_width > 0);
  CHECK(scan.children.empty());
  CHECK(scan.label() == "Seq Scan on orders");
  // A leaf: all its time is its own.
  CHECK(scan.exclusive_ms() == Approx(scan.inclusive_ms()));
}

TEST_CASE("plan: the object form without the array parses the same", "[plan]")
{
  auto text = read_fixture("index_scan.json");
  const auto open = text.find('{');
  const auto close = text.rfind('}');
  auto plan = model::parse_explain_json(text.substr(open, close - open + 1));
  REQUIRE(plan.ok());
  CHECK(plan->root.node_type == "Index Scan");
  CHECK(plan->root.index_name == "orders_pkey");
  CHECK(plan->root.index_cond == "(id = 4242)");
  CHECK(plan->root.label() == "Index Scan using orders_pkey on orders");
  CHECK(!plan->json.empty());
}

TEST_CASE("plan: sort method, space and top-N heapsort under a limit", "[plan]")
{
  const model::Plan plan = load("sort_limit_no_index.json");
  REQUIRE(plan.root.node_type == "Limit");
  REQUIRE(plan.root.children.size() == 1);
  const model::PlanNode& sort = plan.root.children[0];
  CHECK(sort.node_type == "Sort");
  CHECK(sort.parent_relationship == "Outer");
  CHECK(sort.sort_method == "top-N heapsort");
  CHECK(sort.sort_space_type == "Memory");
  CHECK(sort.sort_space_kb.value_or(0) > 0);
  REQUIRE(sort.sort_keys.size() == 1);
  CHECK(sort.sort_keys[0] == "total DESC");
  CHECK(sort.children.at(0).total_actual_rows() == 500000);
}

TEST_CASE("plan: external merge sort spills to disk", "[plan]")
{
  const model::Plan plan = load("external_sort.json");
  CHECK(plan.root.sort_method == "external merge");
  CHECK(plan.root.sort_space_type == "Disk");
  CHECK(plan.root.buffers.temp_written > 0);
  CHECK(plan.root.sort_keys.size() == 2);
}

TEST_CASE("plan: exclusive time subtracts the children and is never negative", "[plan]")
{
  const model::Plan plan = load("join_full_hash.json");
  double sum_exclusive = 0;
  plan.visit([&](const model::PlanNode& node, int) {
    CHECK(node.exclusive_ms() >= 0);
    CHECK(node.exclusive_ms() <= node.inclusive_ms() + 1e-9);
    sum_exclusive += node.exclusive_ms();
  });
  // Serial plan: the exclusive times add up to the root's time.
  CHECK(sum_exclusive == Approx(plan.root.inclusive_ms()).epsilon(0.01));
  const model::PlanNode& join = plan.root.children.at(0);
  CHECK(join.label() == "Hash Join");
  CHECK(join.join_type == "Inner");
  CHECK(!join.hash_cond.empty());
  const model::PlanNode& hash = join.children.at(1);
  CHECK(hash.node_type == "Hash");
  CHECK(hash.hash_batches.value_or(0) >= 1);
  CHECK(hash.original_hash_batches.has_value());
  CHECK(hash.peak_memory_kb.value_or(0) > 0);
}

TEST_CASE("plan: parallel seq scan under Gather", "[plan]")
{
  const model::Plan plan = load("parallel_seq_scan.json");
  const model::PlanNode& gather = plan.root;
  CHECK(gather.node_type == "Gather");
  CHECK(gather.workers_planned == 2);
  CHECK(gather.workers_launched.has_value());
  const model::PlanNode& scan = gather.children.at(0);
  CHECK(scan.parallel_aware);
  CHECK(scan.label() == "Parallel Seq Scan on orders");
  CHECK(scan.loops() == 1 + gather.workers_launched.value_or(0));
  // Worker time adds up beyond the wall time: Gather's own time clamps at zero, not below.
  CHECK(gather.exclusive_ms() >= 0);
}

TEST_CASE("plan: bitmap heap scan blocks and recheck", "[plan]")
{
  const model::Plan plan = load("bitmap_heap_scan.json");
  const model::PlanNode& heap = plan.root;
  CHECK(heap.node_type == "Bitmap Heap Scan");
  CHECK(heap.exact_heap_blocks.value_or(0) > 0);
  CHECK(heap.recheck_cond == "(product_id = 7)");
  const model::PlanNode& index = heap.children.at(0);
  CHECK(index.label() == "Bitmap Index Scan on order_items_product_id_idx");
}

TEST_CASE("plan: backward index scan label", "[plan]")
{
  const model::Plan plan = load("sort_limit_with_index.json");
  const model::PlanNode& scan = plan.root.children.at(0);
  CHECK(scan.scan_direction == "Backward");
  CHECK(scan.label() == "Index Scan Backward using orders_created_at_idx on orders");
}

TEST_CASE("plan: verbose plan carries schemas and aliases", "[plan]")
{
  const model::Plan plan = load("verbose_join.json");
  CHECK(plan.root.label() == "HashAggregate");
  std::vector<std::string> labels;
  plan.visit([&](const model::PlanNode& node, int) { labels.push_back(node.label()); });
  CHECK(std::find(labels.begin(), labels.end(), "Seq Scan on public.orders o") != labels.end());
  CHECK(std::find(labels.begin(), labels.end(), "Seq Scan on public.customers c") != labels.end());
}

TEST_CASE("plan: plain EXPLAIN without ANALYZE has costs and no actuals", "[plan]")
{
  const model::Plan plan = load("plain_join.json");
  CHECK_FALSE(plan.analyzed);
  CHECK_FALSE(plan.execution_ms.has_value());
  int nodes = 0;
  plan.visit([&](const model::PlanNode& node, int) {
    ++nodes;
    CHECK_FALSE(node.analyzed());
    CHECK_FALSE(node.has_buffers);
    CHECK(node.total_cost > 0);
    CHECK(node.exclusive_ms() == 0);
  });
  CHECK(nodes >= 5);
  CHECK(plan.root.node_type == "Limit");
}

TEST_CASE("plan: JIT total and join labels from a hand-written plan", "[plan]")
{
  const char* text = R"([{"Plan": {"Node Type": "Nested Loop", "Join Type": "Anti", "Total Cost": 10,
    "Actual Total Time": 5.0, "Actual Loops": 1, "Actual Rows": 3,
    "Plans": [{"Node Type": "Hash Join", "Join Type": "Left", "Parent Relationship": "Outer",
               "Actual Total Time": 1.0, "Actual Loops": 1},
              {"Node Type": "Aggregate", "Strategy": "Plain", "Partial Mode": "Finalize",
               "Parent Relationship": "Inner", "Actual Total Time": 0.5, "Actual Loops": 4}]},
    "Planning Time": 0.25, "Execution Time": 6.5,
    "JIT": {"Functions": 3, "Timing": {"Generation": 0.5, "Total": 12.5}}}])";
  auto plan = model::parse_explain_json(text);
  REQUIRE(plan.ok());
  CHECK(plan->jit_ms == 12.5);
  CHECK(plan->planning_ms == 0.25);
  CHECK(plan->root.label() == "Nested Loop Anti Join");
  CHECK(plan->root.children[0].label() == "Hash Left Join");
  CHECK(plan->root.children[1].label() == "Finalize Aggregate");
  // 5 - (1 + 0.5 * 4) = 2
  CHECK(plan->root.exclusive_ms() == Approx(2.0));
}

TEST_CASE("plan: malformed input is invalid_input naming the problem", "[plan]")
{
  SECTION("not JSON: position from the JSON parser")
  {
    auto plan = model::parse_explain_json("[{\"Plan\": {\"Node Type\": }]");
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.error().kind == model::ErrorKind::invalid_input);
    CHECK(plan.error().position > 0);
    CHECK(plan.error().message.find("not JSON") != std::string::npos);
  }
  SECTION("no Plan key")
  {
    auto plan = model::parse_explain_json(R"([{"Query Text": "select 1"}])");
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.error().kind == model::ErrorKind::invalid_input);
    CHECK(plan.error().message == "not EXPLAIN JSON: no \"Plan\" key in the top-level object");
  }
  SECTION("a field of the wrong type names its path")
  {
    auto plan = model::parse_explain_json(
      R"({"Plan": {"Node Type": "Limit", "Plans": [{"Node Type": "Seq Scan", "Actual Rows": "many"}]}})");
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.error().kind == model::ErrorKind::invalid_input);
    CHECK(plan.error().message.find("Plan.\"Plans\"[0].\"Actual Rows\"") != std::string::npos);
    CHECK(plan.error().message.find("string") != std::string::npos);
  }
  SECTION("an empty array or a scalar")
  {
    CHECK_FALSE(model::parse_explain_json("[]").ok());
    CHECK_FALSE(model::parse_explain_json("42").ok());
    CHECK_FALSE(model::parse_explain_json("").ok());
  }
}

TEST_CASE("plan: missing fields stay empty", "[plan]")
{
  auto plan = model::parse_explain_json(R"({"Plan": {"Node Type": "Result"}})");
  REQUIRE(plan.ok());
  CHECK(plan->root.node_type == "Result");
  CHECK(plan->root.total_cost == 0);
  CHECK_FALSE(plan->root.actual_rows.has_value());
  CHECK_FALSE(plan->analyzed);
  CHECK(plan->root.label() == "Result");
}
