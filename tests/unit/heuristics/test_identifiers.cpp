#include "heuristics/identifiers.hpp"
#include "tests/support/catch.hpp"

TEST_CASE("identifiers: plain lowercase names stay bare", "[identifiers]")
{
  CHECK(heuristics::quote_ident("orders") == "orders");
  CHECK(heuristics::quote_ident("_tmp1") == "_tmp1");
  CHECK(heuristics::quote_ident("customer_id") == "customer_id");
  // Unreserved keywords need no quotes.
  CHECK(heuristics::quote_ident("name") == "name");
  CHECK(heuristics::quote_ident("status") == "status");
}

TEST_CASE("identifiers: reserved keywords are quoted", "[identifiers]")
{
  CHECK(heuristics::quote_ident("user") == "\"user\"");
  CHECK(heuristics::quote_ident("order") == "\"order\"");
  CHECK(heuristics::quote_ident("group") == "\"group\"");
  CHECK(heuristics::quote_ident("select") == "\"select\"");
  CHECK(heuristics::quote_ident("table") == "\"table\"");
  // Column-name and type/function-name keywords too, like quote_ident().
  CHECK(heuristics::quote_ident("timestamp") == "\"timestamp\"");
  CHECK(heuristics::quote_ident("left") == "\"left\"");
}

TEST_CASE("identifiers: mixed case, digits first, spaces and quotes", "[identifiers]")
{
  CHECK(heuristics::quote_ident("CamelCase") == "\"CamelCase\"");
  CHECK(heuristics::quote_ident("1st") == "\"1st\"");
  CHECK(heuristics::quote_ident("two words") == "\"two words\"");
  CHECK(heuristics::quote_ident("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(heuristics::quote_ident("") == "\"\"");
  CHECK(heuristics::quote_ident("café") == "\"café\"");
  CHECK(heuristics::quote_ident("a$b") == "\"a$b\"");
}

TEST_CASE("identifiers: qualified names", "[identifiers]")
{
  CHECK(heuristics::qualified_name("public", "orders") == "public.orders");
  CHECK(heuristics::qualified_name("Sales", "order") == "\"Sales\".\"order\"");
  CHECK(heuristics::qualified_name("", "orders") == "orders");
}
