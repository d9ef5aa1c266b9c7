// The compact JSON reader that shape extraction runs on.

#include "parser/json_tree.hpp"
#include "tests/support/catch.hpp"

using parser::json::Tree;
using parser::json::Type;

TEST_CASE("json: objects, arrays and scalars")
{
  std::string text = R"({"a":{"b":[1,-2,3.5]},"s":"x","t":true,"f":false,"n":null,"e":{}})";
  auto tree = Tree::parse(text);
  REQUIRE(tree.ok());
  auto root = tree->root();
  CHECK(root.size() == 6);
  CHECK(root["a"]["b"].size() == 3);
  CHECK(root["a"]["b"].at(1).integer() == -2);
  CHECK(root["a"]["b"].at(2).str() == "3.5");
  CHECK(root["s"].str() == "x");
  CHECK(root["t"].boolean());
  CHECK_FALSE(root["f"].boolean());
  CHECK(root["n"].type() == Type::null);
  CHECK(root["e"].is_object());
  CHECK(root["e"].size() == 0);
  CHECK(root.first().key() == "a");
}

TEST_CASE("json: missing members chain to invalid refs")
{
  auto tree = Tree::parse(R"({"a":1})");
  REQUIRE(tree.ok());
  auto missing = tree->root()["x"]["y"].at(3);
  CHECK_FALSE(missing.valid());
  CHECK(missing.str().empty());
  CHECK(missing.integer(7) == 7);
  CHECK(missing.size() == 0);
}

TEST_CASE("json: string escapes and unicode are decoded")
{
  auto tree = Tree::parse(R"(["a\"b\\c\n", "\u00e9\ud83d\ude00", "plain"])");
  REQUIRE(tree.ok());
  CHECK(tree->root().at(0).str() == "a\"b\\c\n");
  CHECK(tree->root().at(1).str() == "\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(tree->root().at(2).str() == "plain");
}

TEST_CASE("json: decoded strings survive moving the tree")
{
  auto tree = Tree::parse(R"(["a\tb"])");
  REQUIRE(tree.ok());
  Tree moved = std::move(tree).value();
  CHECK(moved.root().at(0).str() == "a\tb");
}

TEST_CASE("json: malformed input is an error")
{
  for (const char* bad : {"{", R"({"a" 1})", "[1,]x", "", R"(["unterminated)"}) {
    INFO(bad);
    CHECK_FALSE(Tree::parse(bad).ok());
  }
}
