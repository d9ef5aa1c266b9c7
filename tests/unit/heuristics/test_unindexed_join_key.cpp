#include "heuristics/rules/unindexed_join_key.hpp"
#include "tests/unit/heuristics/fixture_support.hpp"

namespace {

using test_support::column;

//! customers c JOIN orders o ON o.customer_id = c.id
parser::QueryShape customers_orders()
{
  parser::QueryShape shape;
  shape.kind = parser::StatementKind::select;
  shape.tables = {test_support::table_ref("customers", "c"), test_support::table_ref("orders", "o")};
  shape.joins.push_back({column(1, "customer_id"), column(0, "id")});
  return shape;
}

std::vector<model::Finding> run(const model::Plan& plan, const parser::QueryShape* shape,
                                const model::Catalog* catalog)
{
  heuristics::RuleContext context{shape, &plan, catalog};
  return heuristics::rules::unindexed_join_key().run(context, heuristics::RuleSettings{});
}

}  // namespace

TEST_CASE("unindexed_join_key: one customer's orders read through a full scan", "[unindexed_join_key]")
{
  const model::Plan plan = test_support::load_plan("join_unindexed");
  const model::Catalog catalog = test_support::fixture_catalog();
  const parser::QueryShape shape = customers_orders();
  const auto findings = run(plan, &shape, &catalog);
  REQUIRE(findings.size() == 1);
  const model::Finding& f = findings[0];
  CHECK(f.rule_id == "unindexed_join_key");
  CHECK(f.relation == "public.orders");
  CHECK(f.location == "Seq Scan on orders o");
  CHECK(f.title.find("customer_id") != std::string::npos);
  CHECK(f.evidence.at(0).name == "rows_scanned");
  CHECK(f.evidence.at(0).value == 500000);
  CHECK(f.evidence.at(1).name == "probe_rows");
  CHECK(f.evidence.at(1).value == 1);
  CHECK(f.time_share > 0.5);
  CHECK(f.advice.find("public.orders (customer_id)") != std::string::npos);
}

TEST_CASE("unindexed_join_key: without a shape the column comes from the hash condition", "[unindexed_join_key]")
{
  const auto findings = run(test_support::load_plan("join_unindexed"), nullptr, nullptr);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].relation == "orders");
  CHECK(findings[0].advice.find("(customer_id)") != std::string::npos);
}

TEST_CASE("unindexed_join_key: an existing index on the join key silences it", "[unindexed_join_key]")
{
  const model::Plan plan = test_support::load_plan("join_unindexed");
  model::Catalog catalog = test_support::fixture_catalog();
  model::TableInfo& orders = catalog.tables.at(2);
  REQUIRE(orders.name == "orders");
  orders.indexes.push_back(test_support::btree("orders_customer_id_idx", "orders", {"customer_id", "created_at"}));
  const parser::QueryShape shape = customers_orders();
  CHECK(run(plan, &shape, &catalog).empty());
}

TEST_CASE("unindexed_join_key: indexed nested loop is fine", "[unindexed_join_key]")
{
  const model::Plan plan = test_support::load_plan("join_indexed");
  const model::Catalog catalog = test_support::fixture_catalog();
  parser::QueryShape shape;
  shape.tables = {test_support::table_ref("orders", "o"), test_support::table_ref("order_items", "i")};
  shape.joins.push_back({column(1, "order_id"), column(0, "id")});
  CHECK(run(plan, &shape, &catalog).empty());
}

TEST_CASE("unindexed_join_key: a join of whole tables is not an index problem", "[unindexed_join_key]")
{
  // Every order joins its customer: an index would not avoid reading orders.
  const model::Plan plan = test_support::load_plan("join_full_hash");
  const model::Catalog catalog = test_support::fixture_catalog();
  const parser::QueryShape shape = customers_orders();
  CHECK(run(plan, &shape, &catalog).empty());
}
