// QueryShape name resolution: aliases, CTEs, subqueries, set operations, DML, on SQL fixtures.

#include <fstream>
#include <sstream>
#include <string>

#include "parser/query.hpp"
#include "tests/support/catch.hpp"

namespace {

parser::QueryShape fixture_shape(const std::string& name)
{
  std::ifstream in(std::string(PGADVISOR_FIXTURES) + "/sql/" + name);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  auto result = parser::shape_of(text.str());
  INFO(name);
  REQUIRE(result.ok());
  return std::move(result).value();
}

const parser::Predicate* find_predicate(const parser::QueryShape& s, const std::string& column)
{
  for (const auto& p : s.predicates)
    if (p.column.column == column)
      return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("scopes: aliases map columns to their table, schema kept")
{
  auto s = fixture_shape("shape_join_aliases.sql");
  REQUIRE(s.tables.size() == 3);
  CHECK(s.tables[0].schema == "shop");
  CHECK(s.tables[0].name == "orders");
  CHECK(s.tables[0].alias == "o");
  CHECK(s.tables[1].name == "customers");
  CHECK(s.tables[1].schema.empty());

  auto* created = find_predicate(s, "created_at");
  REQUIRE(created);
  CHECK(created->column.table == 0u);
  CHECK(created->param == 1);
  auto* code = find_predicate(s, "code");
  REQUIRE(code);
  CHECK(code->column.table == 2u);
  auto* status = find_predicate(s, "status");
  REQUIRE(status);
  CHECK(status->clause == parser::Clause::join_on);
  CHECK(status->column.table == 1u);

  // Two ON joins plus the WHERE equality between orders and customers.
  REQUIRE(s.joins.size() == 3);
  CHECK(s.joins[2].left.column == "warehouse_id");
  CHECK(s.joins[2].left.table == 0u);
  CHECK(s.joins[2].right.table == 1u);

  REQUIRE(s.order_by.size() == 2);
  CHECK(s.order_by[0].column.table == 0u);
  CHECK(s.limit == 50);
  CHECK(s.offset == 100);
  CHECK(s.predicates_on(0).size() == 1);
}

TEST_CASE("scopes: a CTE name is not a table; its columns get no table")
{
  auto s = fixture_shape("shape_cte.sql");
  REQUIRE(s.tables.size() == 2);
  CHECK(s.tables[0].name == "orders");
  CHECK(s.tables[0].select_level == 1);
  CHECK(s.tables[1].name == "customers");
  CHECK(s.tables[1].select_level == 0);
  for (const auto& t : s.tables) {
    CHECK(t.name != "recent");
    CHECK(t.name != "big");
  }
  // Unqualified column in the CTE body: the only table in scope there.
  auto* created = find_predicate(s, "created_at");
  REQUIRE(created);
  CHECK(created->column.table == 0u);
  // spent > 1000 reads the CTE "recent": no table.
  auto* spent = find_predicate(s, "spent");
  REQUIRE(spent);
  CHECK_FALSE(spent->column.table.has_value());
  // r.customer_id = c.id: r is a CTE alias.
  REQUIRE(s.joins.size() == 1);
  CHECK_FALSE(s.joins[0].left.table.has_value());
  CHECK(s.joins[0].right.table == 1u);
  // c.id IN (SELECT …): an equality on customers.id.
  auto* id = find_predicate(s, "id");
  REQUIRE(id);
  CHECK(id->op == "IN");
  CHECK(id->column.table == 1u);
  CHECK(s.functions_called == std::vector<std::string>{"sum", "now"});
  CHECK_FALSE(s.has_writing_cte);
  REQUIRE(s.order_by.size() == 1);
  CHECK(s.order_by[0].descending);
}

TEST_CASE("scopes: subqueries in FROM, WHERE EXISTS/IN and scalar")
{
  auto s = fixture_shape("shape_subqueries.sql");
  REQUIRE(s.tables.size() == 5);
  CHECK(s.tables[0].name == "products");
  CHECK(s.tables[0].select_level == 0);
  for (std::size_t i = 1; i < s.tables.size(); ++i)
    CHECK(s.tables[i].select_level == 1);

  // Correlated references resolve to the outer alias.
  int joins_to_products = 0;
  for (const auto& j : s.joins)
    if (j.right.table == 0u && j.right.column == "id")
      ++joins_to_products;
  CHECK(joins_to_products == 3);
  // mp.product_id: a subquery alias, no table.
  bool found_subquery_join = false;
  for (const auto& j : s.joins)
    if (!j.left.table.has_value() && j.left.column == "product_id")
      found_subquery_join = true;
  CHECK(found_subquery_join);

  auto* quantity = find_predicate(s, "quantity");
  REQUIRE(quantity);
  REQUIRE(quantity->column.table.has_value());
  CHECK(s.tables[*quantity->column.table].name == "stock");
  auto* parent = find_predicate(s, "parent_id");
  REQUIRE(parent);
  CHECK(s.tables[*parent->column.table].name == "categories");
  REQUIRE(s.params.size() == 1);
  CHECK(s.params[0].column.column == "parent_id");
  // GROUP BY inside the FROM subquery is not the statement's.
  CHECK(s.group_by.empty());
}

TEST_CASE("scopes: UNION branches keep their own scope")
{
  auto s = fixture_shape("shape_union.sql");
  CHECK(s.has_set_operation);
  REQUIRE(s.tables.size() == 2);
  REQUIRE(s.predicates.size() == 2);
  CHECK(s.predicates[0].column.table == 0u);
  CHECK(s.predicates[0].kind == parser::PredicateKind::like_prefix);
  CHECK(s.predicates[1].column.table == 1u);
  CHECK(s.predicates[1].column.function == "lower");
  CHECK(s.limit_is_param);
  REQUIRE(s.order_by.size() == 1);
  CHECK(s.order_by[0].column.column == "email");
}

TEST_CASE("scopes: UPDATE … FROM … WHERE")
{
  auto s = fixture_shape("shape_update.sql");
  CHECK(s.kind == parser::StatementKind::update);
  REQUIRE(s.tables.size() == 2);
  CHECK(s.tables[0].name == "accounts");
  CHECK(s.tables[0].alias == "a");
  REQUIRE(s.joins.size() == 1);
  CHECK(s.joins[0].left.table == 1u);
  CHECK(s.joins[0].right.table == 0u);
  auto* status = find_predicate(s, "status");
  REQUIRE(status);
  CHECK(status->kind == parser::PredicateKind::not_equal);
  CHECK(status->column.table == 0u);
  auto* id = find_predicate(s, "id");
  REQUIRE(id);
  CHECK(id->column.table == 1u);
  CHECK(id->param == 2);
}

TEST_CASE("scopes: DELETE … WHERE with an unqualified column")
{
  auto s = fixture_shape("shape_delete.sql");
  CHECK(s.kind == parser::StatementKind::delete_);
  REQUIRE(s.predicates.size() == 2);
  CHECK(s.predicates[0].column.table == 0u);
  CHECK(s.predicates[0].kind == parser::PredicateKind::range);
  CHECK(s.predicates[1].column.table == 0u);
  CHECK(s.predicates[1].param == 1);
}

TEST_CASE("scopes: INSERT … SELECT")
{
  auto s = fixture_shape("shape_insert_select.sql");
  CHECK(s.kind == parser::StatementKind::insert);
  REQUIRE(s.tables.size() == 2);
  CHECK(s.tables[0].name == "order_archive");
  CHECK(s.tables[1].name == "orders");
  REQUIRE(s.predicates.size() == 2);
  CHECK(s.predicates[0].column.table == 1u);
  CHECK(s.predicates[1].column.table == 1u);
}

TEST_CASE("scopes: writing CTE")
{
  auto s = fixture_shape("shape_writing_cte.sql");
  CHECK(s.has_writing_cte);
  REQUIRE(s.tables.size() == 2);
  CHECK(s.tables[0].name == "queue");
  CHECK(s.tables[1].name == "queue_done");
  REQUIRE(s.predicates.size() == 1);
  CHECK(s.predicates[0].column.table == 0u);
}

TEST_CASE("scopes: unqualified column with several tables stays unresolved")
{
  auto result = parser::shape_of("SELECT * FROM a, b WHERE x = 1");
  REQUIRE(result.ok());
  REQUIRE(result->predicates.size() == 1);
  CHECK_FALSE(result->predicates[0].column.table.has_value());
}

TEST_CASE("scopes: self-join keeps two table references")
{
  auto result = parser::shape_of("SELECT * FROM emp e JOIN emp m ON m.id = e.manager_id WHERE e.id = 1");
  REQUIRE(result.ok());
  REQUIRE(result->tables.size() == 2);
  REQUIRE(result->joins.size() == 1);
  CHECK(result->joins[0].left.table == 1u);
  CHECK(result->joins[0].right.table == 0u);
  CHECK(result->predicates[0].column.table == 0u);
}
