// parse / fingerprint / normalize / split / analyse: the libpg_query wrappers.

#include <fstream>
#include <sstream>
#include <string>

#include "parser/query.hpp"
#include "tests/support/catch.hpp"

namespace {

std::string fixture(const std::string& name)
{
  std::ifstream in(std::string(PGADVISOR_FIXTURES) + "/sql/" + name);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("parse: a valid query gives the JSON tree and its statement count")
{
  auto parsed = parser::parse("SELECT id FROM users WHERE id = 1");
  REQUIRE(parsed.ok());
  CHECK(parsed->statement_count == 1);
  CHECK(parsed->tree["stmts"][0]["stmt"].contains("SelectStmt"));
  CHECK(parsed->sql == "SELECT id FROM users WHERE id = 1");
}

TEST_CASE("parse: invalid SQL gives libpg_query's message and 1-based position")
{
  auto parsed = parser::parse(fixture("invalid_syntax.sql"));
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == model::ErrorKind::invalid_input);
  CHECK(parsed.error().message == "syntax error at or near \"id\"");
  // "SELECT id, email FROM customers WHER id = 1": "id" after WHER starts at character 38.
  CHECK(parsed.error().position == 38);
}

TEST_CASE("parse: error position counts characters, not bytes")
{
  auto parsed = parser::parse("SELECT 'é', * FRM t");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().position == 15);
}

TEST_CASE("parse: blank or comment-only text is an empty query")
{
  for (std::string sql : {std::string(), std::string("   \n\t"), fixture("empty_comments.sql")}) {
    auto parsed = parser::parse(sql);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == model::ErrorKind::invalid_input);
    CHECK(parsed.error().message == "empty query");
  }
  CHECK(parser::fingerprint("-- nothing").error().message == "empty query");
  CHECK(parser::normalize("/* x */").error().message == "empty query");
  CHECK(parser::analyse(" ; ").error().message == "empty query");
}

TEST_CASE("parse: an unterminated comment is a syntax error, not an empty query")
{
  auto parsed = parser::parse("/* never closed");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().message != "empty query");
}

TEST_CASE("parse: multi-statement text counts every statement")
{
  auto parsed = parser::parse(fixture("multi_statement.sql"));
  REQUIRE(parsed.ok());
  CHECK(parsed->statement_count == 5);
}

TEST_CASE("fingerprint: equal across literal values, different across tables")
{
  auto a = parser::fingerprint("SELECT * FROM users WHERE id = 1");
  auto b = parser::fingerprint("select *\n  from users where id = 2");
  auto c = parser::fingerprint("SELECT * FROM accounts WHERE id = 1");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(a->value == b->value);
  CHECK(a->hex == b->hex);
  CHECK(a->value != c->value);
  CHECK(a->hex.size() == 16);
  CHECK(std::stoull(a->hex, nullptr, 16) == a->value);
}

TEST_CASE("fingerprint: invalid SQL is an error with position")
{
  auto fp = parser::fingerprint("SELECT FROM WHERE");
  REQUIRE_FALSE(fp.ok());
  CHECK(fp.error().kind == model::ErrorKind::invalid_input);
  CHECK(fp.error().position > 0);
}

TEST_CASE("normalize: constants become $n")
{
  auto normalized = parser::normalize("SELECT * FROM users WHERE id = 42 AND name = 'bob'");
  REQUIRE(normalized.ok());
  CHECK(*normalized == "SELECT * FROM users WHERE id = $1 AND name = $2");
}

TEST_CASE("split: statements are trimmed, without ';', strings and comments respected")
{
  auto parts = parser::split_statements(fixture("multi_statement.sql"));
  REQUIRE(parts.ok());
  REQUIRE(parts->size() == 5);
  CHECK((*parts)[0] == "BEGIN");
  CHECK((*parts)[1] == "UPDATE accounts SET balance = balance - 10 WHERE id = 1");
  CHECK((*parts)[3] == "SELECT 'a;b' AS text_with_semicolon");
  CHECK((*parts)[4] == "COMMIT");
}

TEST_CASE("split: a last statement without ';' is kept")
{
  auto parts = parser::split_statements("SELECT 1; SELECT 2");
  REQUIRE(parts.ok());
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[1] == "SELECT 2");
}

TEST_CASE("split: invalid SQL is an error")
{
  auto parts = parser::split_statements("SELECT 1; SELEC 2;");
  REQUIRE_FALSE(parts.ok());
  CHECK(parts.error().kind == model::ErrorKind::invalid_input);
}

TEST_CASE("analyse: fingerprint, normalized text, shape and count from one call")
{
  std::string sql = "SELECT id FROM users WHERE email = 'a@b.c' LIMIT 5";
  auto info = parser::analyse(sql);
  REQUIRE(info.ok());
  CHECK(info->fingerprint.value == parser::fingerprint(sql)->value);
  CHECK(info->normalized == "SELECT id FROM users WHERE email = $1 LIMIT $2");
  CHECK(info->statement_count == 1);
  REQUIRE(info->shape.tables.size() == 1);
  CHECK(info->shape.tables[0].name == "users");
  CHECK(info->shape.limit == 5);
}

TEST_CASE("analyse: normalize can be skipped")
{
  auto info = parser::analyse("SELECT 1", parser::AnalyseOptions{false});
  REQUIRE(info.ok());
  CHECK(info->normalized.empty());
  CHECK_FALSE(info->fingerprint.hex.empty());
}

TEST_CASE("analyse: invalid SQL reports the position")
{
  auto info = parser::analyse("SELECT * FROM t WHERE (a = 1");
  REQUIRE_FALSE(info.ok());
  CHECK(info.error().kind == model::ErrorKind::invalid_input);
  CHECK(info.error().position > 0);
}

TEST_CASE("extract_shape: the DOM path and the direct path agree")
{
  std::string sql = fixture("shape_join_aliases.sql");
  auto parsed = parser::parse(sql);
  REQUIRE(parsed.ok());
  auto from_dom = parser::extract_shape(*parsed);
  auto direct = parser::shape_of(sql);
  REQUIRE(direct.ok());
  CHECK(from_dom.tables.size() == direct->tables.size());
  CHECK(from_dom.predicates.size() == direct->predicates.size());
  CHECK(from_dom.joins.size() == direct->joins.size());
  CHECK(from_dom.order_by.size() == direct->order_by.size());
  CHECK(from_dom.limit == direct->limit);
}
