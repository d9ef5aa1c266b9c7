// QueryShape: columns by clause, operators, parameters, ORDER BY / GROUP BY / LIMIT.

#include <string>

#include "parser/query.hpp"
#include "tests/support/catch.hpp"

using parser::PredicateKind;

namespace {

parser::QueryShape shape(const std::string& sql)
{
  auto result = parser::shape_of(sql);
  INFO(sql);
  REQUIRE(result.ok());
  return std::move(result).value();
}

const parser::Predicate& only_predicate(const parser::QueryShape& s)
{
  REQUIRE(s.predicates.size() == 1);
  return s.predicates[0];
}

}  // namespace

TEST_CASE("shape: equality with a constant")
{
  auto s = shape("SELECT * FROM users WHERE id = 42");
  const auto& p = only_predicate(s);
  CHECK(p.kind == PredicateKind::equality);
  CHECK(p.op == "=");
  CHECK(p.column.column == "id");
  CHECK(p.column.table == 0u);
  CHECK(p.constant == "42");
  CHECK_FALSE(p.param.has_value());
  CHECK(p.clause == parser::Clause::where);
  CHECK_FALSE(p.under_or);
}

TEST_CASE("shape: equality in IN list")
{
  auto s = shape("SELECT * FROM users WHERE status IN ('a', 'b', 'c')");
  const auto& p = only_predicate(s);
  CHECK(p.kind == PredicateKind::equality);
  CHECK(p.op == "IN");
  CHECK(p.in_list_length == 3);
}

TEST_CASE("shape: NOT IN is not_equal")
{
  auto s = shape("SELECT * FROM users WHERE status NOT IN (1, 2)");
  const auto& p = only_predicate(s);
  CHECK(p.kind == PredicateKind::not_equal);
  CHECK(p.op == "NOT IN");
}

TEST_CASE("shape: equality with = ANY of a parameter")
{
  auto s = shape("SELECT * FROM users WHERE id = ANY($1)");
  const auto& p = only_predicate(s);
  CHECK(p.kind == PredicateKind::equality);
  CHECK(p.op == "= ANY");
  CHECK(p.param == 1);
  REQUIRE(s.params.size() == 1);
  CHECK(s.params[0].number == 1);
  CHECK(s.params[0].column.column == "id");
}

TEST_CASE("shape: = ANY(ARRAY[...]) counts the elements")
{
  auto s = shape("SELECT * FROM users WHERE id = ANY(ARRAY[1, 2])");
  const auto& p = only_predicate(s);
  CHECK(p.kind == PredicateKind::equality);
  CHECK(p.in_list_length == 2);
}

TEST_CASE("shape: range operators and BETWEEN")
{
  auto s = shape("SELECT * FROM t WHERE a < 1 AND b <= 2 AND c > 3 AND d >= 4 AND e BETWEEN $1 AND $2");
  REQUIRE(s.predicates.size() == 5);
  for (const auto& p : s.predicates)
    CHECK(p.kind == PredicateKind::range);
  CHECK(s.predicates[0].op == "<");
  CHECK(s.predicates[3].op == ">=");
  CHECK(s.predicates[4].op == "BETWEEN");
  CHECK(s.predicates[4].param == 1);
  REQUIRE(s.params.size() == 2);
  CHECK(s.params[1].number == 2);
  CHECK(s.params[1].column.column == "e");
}

TEST_CASE("shape: constant on the left is normalised")
{
  auto s = shape("SELECT * FROM t WHERE 5 < x AND $1 >= y AND 7 = z");
  REQUIRE(s.predicates.size() == 3);
  CHECK(s.predicates[0].column.column == "x");
  CHECK(s.predicates[0].op == ">");
  CHECK(s.predicates[0].constant == "5");
  CHECK(s.predicates[1].column.column == "y");
  CHECK(s.predicates[1].op == "<=");
  CHECK(s.predicates[1].param == 1);
  CHECK(s.predicates[2].op == "=");
  CHECK(s.predicates[2].kind == PredicateKind::equality);
}

TEST_CASE("shape: IS NULL and IS NOT NULL")
{
  auto s = shape("SELECT * FROM t WHERE deleted_at IS NULL AND email IS NOT NULL");
  REQUIRE(s.predicates.size() == 2);
  CHECK(s.predicates[0].kind == PredicateKind::is_null);
  CHECK(s.predicates[0].op == "IS NULL");
  CHECK(s.predicates[1].kind == PredicateKind::is_not_null);
}

TEST_CASE("shape: LIKE prefix vs infix")
{
  auto s = shape("SELECT * FROM t WHERE a LIKE 'abc%' AND b LIKE '%abc' AND c LIKE '%abc%' AND d LIKE $1 "
                 "AND e ILIKE 'x%' AND f NOT LIKE 'y%'");
  REQUIRE(s.predicates.size() == 6);
  CHECK(s.predicates[0].kind == PredicateKind::like_prefix);
  CHECK(s.predicates[0].op == "~~");
  CHECK(s.predicates[1].kind == PredicateKind::like_infix);
  CHECK(s.predicates[2].kind == PredicateKind::like_infix);
  CHECK(s.predicates[3].kind == PredicateKind::like_infix);
  CHECK(s.predicates[3].param == 1);
  CHECK(s.predicates[4].kind == PredicateKind::like_prefix);
  CHECK(s.predicates[4].case_insensitive);
  CHECK(s.predicates[5].kind == PredicateKind::other);
}

TEST_CASE("shape: regex and SIMILAR TO")
{
  auto s = shape("SELECT * FROM t WHERE a ~ '^x' AND b ~* 'y' AND c SIMILAR TO 'z%'");
  REQUIRE(s.predicates.size() == 3);
  CHECK(s.predicates[0].kind == PredicateKind::regex);
  CHECK_FALSE(s.predicates[0].case_insensitive);
  CHECK(s.predicates[1].kind == PredicateKind::regex);
  CHECK(s.predicates[1].case_insensitive);
  CHECK(s.predicates[2].kind == PredicateKind::regex);
  CHECK(s.predicates[2].op == "SIMILAR TO");
  CHECK(s.predicates[2].constant == "z%");
  // The grammar's similar_to_escape() wrapper is not a function the user called.
  CHECK(s.functions_called.empty());
}

TEST_CASE("shape: containment operators")
{
  auto s = shape("SELECT * FROM docs WHERE body @> '{\"a\":1}'");
  const auto& p = only_predicate(s);
  CHECK(p.kind == PredicateKind::containment);
  CHECK(p.op == "@>");
}

TEST_CASE("shape: column wrapped in a function")
{
  auto s = shape("SELECT * FROM users WHERE lower(email) = $1");
  const auto& p = only_predicate(s);
  CHECK(p.column.column == "email");
  CHECK(p.column.function == "lower");
  CHECK(p.column.expression == "lower(email)");
  CHECK(p.column.table == 0u);
  CHECK(p.param == 1);
  REQUIRE(s.functions_called.size() == 1);
  CHECK(s.functions_called[0] == "lower");
}

TEST_CASE("shape: qualified wrapped column prints unqualified, casts are wrappers")
{
  auto s = shape("SELECT * FROM events e WHERE date_trunc('day', e.created_at) = $1 AND e.ts::date = '2024-01-01'");
  REQUIRE(s.predicates.size() == 2);
  CHECK(s.predicates[0].column.function == "date_trunc");
  CHECK(s.predicates[0].column.expression == "date_trunc('day', created_at)");
  CHECK(s.predicates[1].column.function == "cast");
  CHECK(s.predicates[1].column.expression == "ts::date");
  CHECK(s.predicates[1].constant == "2024-01-01");
}

TEST_CASE("shape: predicates under OR are recorded and marked")
{
  auto s = shape("SELECT * FROM t WHERE a = 1 AND (b = 2 OR c = 3)");
  REQUIRE(s.predicates.size() == 3);
  CHECK_FALSE(s.predicates[0].under_or);
  CHECK(s.predicates[1].under_or);
  CHECK(s.predicates[2].under_or);
}

TEST_CASE("shape: JOIN ON equality is a join, not a predicate")
{
  auto s = shape("SELECT * FROM orders o JOIN users u ON u.id = o.user_id AND u.active = true");
  REQUIRE(s.joins.size() == 1);
  CHECK(s.joins[0].left.table == 1u);
  CHECK(s.joins[0].left.column == "id");
  CHECK(s.joins[0].right.table == 0u);
  CHECK(s.joins[0].right.column == "user_id");
  const auto& p = only_predicate(s);
  CHECK(p.clause == parser::Clause::join_on);
  CHECK(p.column.column == "active");
}

TEST_CASE("shape: WHERE equality between two tables is a join")
{
  auto s = shape("SELECT * FROM orders o, users u WHERE o.user_id = u.id AND u.id = 3");
  REQUIRE(s.joins.size() == 1);
  CHECK(s.joins[0].left.table == 0u);
  CHECK(s.joins[0].right.table == 1u);
  const auto& p = only_predicate(s);
  CHECK(p.column.table == 1u);
}

TEST_CASE("shape: JOIN USING gives a join per column")
{
  auto s = shape("SELECT * FROM a JOIN b USING (id, kind)");
  REQUIRE(s.joins.size() == 2);
  CHECK(s.joins[0].left.table == 0u);
  CHECK(s.joins[0].right.table == 1u);
  CHECK(s.joins[1].left.column == "kind");
}

TEST_CASE("shape: ORDER BY with direction and NULLS")
{
  auto s = shape("SELECT a, b AS bee FROM t ORDER BY a DESC NULLS LAST, bee, 1 ASC NULLS FIRST, random()");
  REQUIRE(s.order_by.size() == 4);
  CHECK(s.order_by[0].column.column == "a");
  CHECK(s.order_by[0].descending);
  CHECK(s.order_by[0].nulls_first == false);
  CHECK(s.order_by[1].column.column == "b");  // output alias resolved
  CHECK_FALSE(s.order_by[1].descending);
  CHECK_FALSE(s.order_by[1].nulls_first.has_value());
  CHECK(s.order_by[2].column.column == "a");  // position resolved
  CHECK(s.order_by[2].nulls_first == true);
  CHECK(s.order_by[3].column.column.empty());
  CHECK(s.order_by[3].column.expression == "random()");
}

TEST_CASE("shape: GROUP BY columns")
{
  auto s = shape("SELECT status, date_trunc('day', created_at), count(*) FROM orders GROUP BY status, 2 "
                 "HAVING count(*) > 10");
  REQUIRE(s.group_by.size() == 2);
  CHECK(s.group_by[0].column == "status");
  CHECK(s.group_by[0].table == 0u);
  CHECK(s.group_by[1].function == "date_trunc");
  CHECK(s.predicates.empty());  // count(*) holds no column
  CHECK(s.functions_called == std::vector<std::string>{"date_trunc", "count"});
}

TEST_CASE("shape: HAVING on an aggregate of a column")
{
  auto s = shape("SELECT user_id FROM orders GROUP BY user_id HAVING sum(total) > 100");
  const auto& p = only_predicate(s);
  CHECK(p.clause == parser::Clause::having);
  CHECK(p.column.function == "sum");
}

TEST_CASE("shape: constant LIMIT and OFFSET")
{
  auto s = shape("SELECT * FROM t LIMIT 10 OFFSET 20");
  CHECK(s.has_limit);
  CHECK(s.limit == 10);
  CHECK(s.offset == 20);
  CHECK_FALSE(s.limit_is_param);
}

TEST_CASE("shape: LIMIT and OFFSET parameters")
{
  auto s = shape("SELECT * FROM t WHERE a = $1 LIMIT $2 OFFSET $3");
  CHECK(s.has_limit);
  CHECK_FALSE(s.limit.has_value());
  CHECK(s.limit_is_param);
  CHECK(s.offset_is_param);
  REQUIRE(s.params.size() == 3);
  CHECK(s.params[1].number == 2);
  CHECK(s.params[1].column.column.empty());
}

TEST_CASE("shape: no LIMIT, LIMIT ALL, FETCH FIRST")
{
  CHECK_FALSE(shape("SELECT * FROM t").has_limit);
  CHECK_FALSE(shape("SELECT * FROM t LIMIT ALL").has_limit);
  auto fetch = shape("SELECT * FROM t FETCH FIRST 3 ROWS ONLY");
  CHECK(fetch.has_limit);
  CHECK(fetch.limit == 3);
}

TEST_CASE("shape: SELECT * and t.*")
{
  CHECK(shape("SELECT * FROM t").select_star);
  CHECK(shape("SELECT u.*, o.id FROM users u JOIN orders o ON o.uid = u.id").select_star);
  CHECK_FALSE(shape("SELECT count(*) FROM t").select_star);
  CHECK_FALSE(shape("SELECT id FROM t WHERE EXISTS (SELECT * FROM u)").select_star);
}

TEST_CASE("shape: boolean column alone is an equality with true")
{
  auto s = shape("SELECT * FROM users WHERE active");
  const auto& p = only_predicate(s);
  CHECK(p.kind == PredicateKind::equality);
  CHECK(p.constant == "true");
}

TEST_CASE("shape: functions called are lowercase, without schema, once each")
{
  auto s = shape("SELECT LOWER(a), pg_catalog.upper(b), lower(c), now() FROM t");
  CHECK(s.functions_called == std::vector<std::string>{"lower", "upper", "now"});
}

TEST_CASE("shape: statement kinds")
{
  CHECK(shape("SELECT 1").kind == parser::StatementKind::select);
  CHECK(shape("INSERT INTO t VALUES (1)").kind == parser::StatementKind::insert);
  CHECK(shape("UPDATE t SET a = 1").kind == parser::StatementKind::update);
  CHECK(shape("DELETE FROM t").kind == parser::StatementKind::delete_);
  CHECK(shape("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE").kind
        == parser::StatementKind::merge);
  CHECK(shape("CREATE INDEX ON t (a)").kind == parser::StatementKind::utility);
  CHECK(shape("SET work_mem = '64MB'").kind == parser::StatementKind::utility);
}

TEST_CASE("shape: INSERT VALUES parameters map to the inserted columns")
{
  auto s = shape("INSERT INTO users (email, name) VALUES ($1, $2)");
  REQUIRE(s.tables.size() == 1);
  REQUIRE(s.params.size() == 2);
  CHECK(s.params[0].column.column == "email");
  CHECK(s.params[1].column.column == "name");
  CHECK(s.params[1].column.table == 0u);
}

TEST_CASE("shape: UPDATE SET parameter maps to its column")
{
  auto s = shape("UPDATE users SET name = $1 WHERE id = $2");
  REQUIRE(s.params.size() == 2);
  CHECK(s.params[0].column.column == "name");
  CHECK(s.params[1].column.column == "id");
  const auto& p = only_predicate(s);
  CHECK(p.column.table == 0u);
}

TEST_CASE("shape: schema-qualified column reference")
{
  auto s = shape("SELECT * FROM app.users, app.orders WHERE app.users.id = 1");
  const auto& p = only_predicate(s);
  CHECK(p.column.table == 0u);
}
