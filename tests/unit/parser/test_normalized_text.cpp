// pg_stat_statements' normalised text made plannable: typed literals, interval fields,
// placeholders only a real value can explain, and binding sampled values.

#include <string>

#include "parser/normalized_text.hpp"
#include "parser/query.hpp"
#include "tests/support/catch.hpp"

TEST_CASE("normalized text: date and interval placeholders become casts that parse")
{
  const std::string tpch_q1 =
      "select l_returnflag, sum(l_quantity) from lineitem "
      "where l_shipdate <= date $1 - interval $2 day group by l_returnflag";
  // libpg_query accepts `date $1` (it is patched for normalised text); the server does not.
  const auto plannable = parser::make_plannable(tpch_q1);
  CHECK(plannable.sql ==
        "select l_returnflag, sum(l_quantity) from lineitem "
        "where l_shipdate <= $1::date - ($2::text || ' day')::interval group by l_returnflag");
  REQUIRE(plannable.changes.size() == 2);
  CHECK(plannable.changes[0] == "date $1 -> $1::date");
  CHECK(parser::parse(plannable.sql).ok());
}

TEST_CASE("normalized text: interval without a field and multi-word types")
{
  const auto plannable = parser::make_plannable(
      "SELECT * FROM t WHERE a >= date $1 AND a < date $1 + interval $2 "
      "AND b > timestamp with time zone $3 AND c = double precision $4");
  CHECK(plannable.sql ==
        "SELECT * FROM t WHERE a >= $1::date AND a < $1::date + $2::interval "
        "AND b > $3::timestamp with time zone AND c = $4::double precision");
  CHECK(parser::parse(plannable.sql).ok());
}

TEST_CASE("normalized text: interval with a field range and precision")
{
  const auto plannable = parser::make_plannable("SELECT now() - interval $1 day to second (3)");
  CHECK(plannable.sql == "SELECT now() - ($1::text || ' day to second')::interval");
  CHECK(parser::parse(plannable.sql).ok());
}

TEST_CASE("normalized text: strings, identifiers and comments are never rewritten")
{
  const std::string sql = "SELECT 'date $1', \"date\" FROM t /* date $2 */ WHERE x = $3 -- interval $4";
  const auto plannable = parser::make_plannable(sql);
  CHECK(plannable.sql == sql);
  CHECK(plannable.changes.empty());
  CHECK(parser::parameters_in(sql) == std::vector<int>{3});
}

TEST_CASE("normalized text: JSON keys and patterns need the real value")
{
  const std::string sql =
      "SELECT id FROM events WHERE payload->>$1 = $2 AND name LIKE $3 AND tag ~* $4 AND id = $5";
  CHECK(parser::literal_only_parameters(sql) == std::vector<int>{1, 3, 4});
  CHECK(parser::parameters_in(sql) == std::vector<int>{1, 2, 3, 4, 5});
}

TEST_CASE("normalized text: binding values keeps the placeholders it has no value for")
{
  const std::string sql = "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $10 LIMIT $3";
  const auto bound = parser::bind_parameters(sql, {{1, parser::quote_literal("it's")}, {10, "42"}});
  CHECK(bound == "SELECT * FROM t WHERE a = 'it''s' AND b = $2 AND c = 42 LIMIT $3");
}
