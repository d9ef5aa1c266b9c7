#include "parser/sql_comments.hpp"
#include "tests/support/catch.hpp"

TEST_CASE("comments: line comments end before their newline, block comments nest", "[sql_comments]")
{
  CHECK(parser::comment_at("-- x\nSELECT", 0));
  CHECK(parser::comment_at("a /* b */", 2));
  CHECK_FALSE(parser::comment_at("a - b", 2));
  CHECK_FALSE(parser::comment_at("-", 0));
  CHECK(parser::skip_comment("-- x\nSELECT", 0) == 4);
  CHECK(parser::skip_comment("-- only", 0) == 7);
  const std::string nested = "/* a /* b */ c */SELECT";
  CHECK(parser::skip_comment(nested, 0) == nested.find("SELECT"));
  bool terminated = true;
  CHECK(parser::skip_comment("/* a /* b */", 0, &terminated) == 12);
  CHECK_FALSE(terminated);
  CHECK(parser::skip_comment("/**/x", 0, &terminated) == 4);
  CHECK(terminated);
}
