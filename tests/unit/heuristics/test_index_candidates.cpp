#include <algorithm>

#include "heuristics/index_candidates.hpp"
#include "parser/query.hpp"
#include "tests/unit/heuristics/fixture_support.hpp"

namespace {

using parser::PredicateKind;
using test_support::column;
using test_support::predicate;

using Columns = std::vector<std::string>;

//! SELECT … FROM orders WHERE <predicates> [ORDER BY …]
parser::QueryShape orders_query(std::vector<parser::Predicate> predicates)
{
  parser::QueryShape shape;
  shape.kind = parser::StatementKind::select;
  shape.tables = {test_support::table_ref("orders")};
  shape.predicates = std::move(predicates);
  return shape;
}

bool has_candidate(const std::vector<heuristics::IndexCandidate>& candidates, const Columns& columns)
{
  return std::any_of(candidates.begin(), candidates.end(),
                     [&](const heuristics::IndexCandidate& c) { return c.columns == columns; });
}

}  // namespace

TEST_CASE("candidates: equality before range", "[index_candidates]")
{
  const auto shape = orders_query({predicate(column(0, "created_at"), PredicateKind::range, ">"),
                                   predicate(column(0, "status"), PredicateKind::equality)});
  const auto candidates = heuristics::generate_index_candidates(shape, test_support::fixture_catalog());
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].columns == Columns{"status", "created_at"});
  CHECK(candidates[0].schema == "public");
  CHECK(candidates[0].table == "orders");
  CHECK(candidates[0].reasons.size() == 2);
}

TEST_CASE("candidates: most selective equality first, unknown statistics last", "[index_candidates]")
{
  auto catalog = test_support::fixture_catalog();
  // customer_id: -0.6 * 500000 = 300000 distinct; status: 3; total has none.
  catalog.tables.at(2).columns.push_back(test_support::column_stats("region", std::nullopt));
  const auto shape = orders_query({predicate(column(0, "status"), PredicateKind::equality),
                                   predicate(column(0, "region"), PredicateKind::equality),
                                   predicate(column(0, "customer_id"), PredicateKind::equality, "IN")});
  const auto candidates = heuristics::generate_index_candidates(shape, catalog);
  REQUIRE(!candidates.empty());
  CHECK(candidates[0].columns == Columns{"customer_id", "status", "region"});
}

TEST_CASE("candidates: only the most selective range column", "[index_candidates]")
{
  const auto shape = orders_query({predicate(column(0, "total"), PredicateKind::range, ">"),
                                   predicate(column(0, "created_at"), PredicateKind::range, "<")});
  const auto candidates = heuristics::generate_index_candidates(shape, test_support::fixture_catalog());
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].columns == Columns{"created_at"});
}

TEST_CASE("candidates: ORDER BY direction after the equalities", "[index_candidates]")
{
  auto shape = orders_query({predicate(column(0, "customer_id"), PredicateKind::equality)});
  shape.order_by.push_back({column(0, "created_at"), true, std::nullopt});
  shape.has_limit = true;
  shape.limit = 10;
  const auto candidates = heuristics::generate_index_candidates(shape, test_support::fixture_catalog());
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].columns == Columns{"customer_id", "created_at"});
  CHECK(candidates[0].descending == std::vector<bool>{false, true});
  CHECK(candidates[0].ddl() ==
        "CREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx ON public.orders (customer_id, created_at DESC)");
  CHECK(candidates[0].hypothetical_ddl() == "CREATE INDEX ON public.orders (customer_id, created_at DESC)");
}

TEST_CASE("candidates: a range predicate gives the range key and the ORDER BY variant", "[index_candidates]")
{
  auto shape = orders_query({predicate(column(0, "status"), PredicateKind::equality),
                             predicate(column(0, "total"), PredicateKind::range, ">")});
  shape.order_by.push_back({column(0, "created_at"), false, std::nullopt});
  const auto candidates = heuristics::generate_index_candidates(shape, test_support::fixture_catalog());
  REQUIRE(candidates.size() == 2);
  CHECK(has_candidate(candidates, {"status", "total"}));
  CHECK(has_candidate(candidates, {"status", "created_at"}));
}

TEST_CASE("candidates: join keys, unqualified columns resolved with the catalog", "[index_candidates]")
{
  parser::QueryShape shape;
  shape.tables = {test_support::table_ref("customers", "c"), test_support::table_ref("orders", "o")};
  parser::ColumnUse unqualified;
  unqualified.column = "email";  // only customers has it
  shape.predicates.push_back(predicate(unqualified, PredicateKind::equality));
  shape.joins.push_back({column(1, "customer_id"), column(0, "id")});
  const auto candidates = heuristics::generate_index_candidates(shape, test_support::fixture_catalog());
  const auto on = [&](const std::string& table, const Columns& columns) {
    return std::any_of(candidates.begin(), candidates.end(), [&](const heuristics::IndexCandidate& c) {
      return c.table == table && c.columns == columns;
    });
  };
  CHECK(on("customers", {"email"}));
  CHECK(on("orders", {"customer_id"}));
  CHECK(on("customers", {"id"}));
  CHECK_FALSE(on("orders", {"email"}));
}

TEST_CASE("candidates: skipped columns and tables", "[index_candidates]")
{
  auto wrapped = column(0, "status");
  wrapped.function = "lower";
  auto shape = orders_query({predicate(wrapped, PredicateKind::equality),
                             predicate(column(0, "note"), PredicateKind::like_infix, "~~"),
                             predicate(column(0, "note"), PredicateKind::regex, "~")});
  CHECK(heuristics::generate_index_candidates(shape, test_support::fixture_catalog()).empty());

  shape = orders_query({predicate(column(0, "status"), PredicateKind::equality)});
  shape.tables[0].name = "not_in_catalog";
  CHECK(heuristics::generate_index_candidates(shape, test_support::fixture_catalog()).empty());
}

TEST_CASE("candidates: identical candidates are merged", "[index_candidates]")
{
  parser::QueryShape shape;
  shape.tables = {test_support::table_ref("orders", "a"), test_support::table_ref("orders", "b")};
  shape.joins.push_back({column(0, "customer_id"), column(1, "customer_id")});
  const auto candidates = heuristics::generate_index_candidates(shape, test_support::fixture_catalog());
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].columns == Columns{"customer_id"});
}

TEST_CASE("candidates: names and identifiers in the DDL", "[index_candidates]")
{
  heuristics::IndexCandidate candidate;
  candidate.schema = "Sales";
  candidate.table = "order";
  candidate.columns = {"user", "createdAt"};
  candidate.descending = {false, false};
  CHECK(candidate.ddl() ==
        "CREATE INDEX CONCURRENTLY \"order_user_createdAt_idx\" ON \"Sales\".\"order\" (\"user\", \"createdAt\")");
  candidate.columns = {std::string(80, 'x')};
  candidate.descending = {false};
  CHECK(candidate.index_name().size() == 63);
  CHECK(candidate.index_name().substr(59) == "_idx");
}

TEST_CASE("candidates: covered by an existing index", "[index_candidates]")
{
  const auto catalog = test_support::fixture_catalog();
  const model::TableInfo& orders = *catalog.find("public", "orders");
  heuristics::IndexCandidate candidate;
  candidate.schema = "public";
  candidate.table = "orders";
  candidate.columns = {"created_at"};
  candidate.descending = {true};  // a backward scan serves it
  CHECK(heuristics::covering_index(candidate, orders) == "orders_created_at_idx");
  candidate.columns = {"status"};
  candidate.descending = {false};
  CHECK_FALSE(heuristics::covering_index(candidate, orders).has_value());
}

TEST_CASE("candidates: prefix coverage and directions", "[index_candidates]")
{
  model::TableInfo table{"public", "orders", 500000, 0, 0, {}, {}, {}};
  table.indexes.push_back(test_support::btree("orders_c_s_t", "orders", {"customer_id", "status", "total"},
                                              {false, true, false}));
  heuristics::IndexCandidate candidate;
  candidate.schema = "public";
  candidate.table = "orders";
  candidate.columns = {"customer_id", "status"};
  candidate.descending = {false, true};
  CHECK(heuristics::covering_index(candidate, table) == "orders_c_s_t");
  candidate.descending = {true, false};  // all reversed
  CHECK(heuristics::covering_index(candidate, table) == "orders_c_s_t");
  candidate.descending = {false, false};  // mixed
  CHECK_FALSE(heuristics::covering_index(candidate, table).has_value());
  candidate.columns = {"status"};  // not leading
  candidate.descending = {true};
  CHECK_FALSE(heuristics::covering_index(candidate, table).has_value());
}

TEST_CASE("candidates: a partial, invalid, expression or opclass index does not cover", "[index_candidates]")
{
  heuristics::IndexCandidate candidate;
  candidate.schema = "public";
  candidate.table = "orders";
  candidate.columns = {"status"};
  candidate.descending = {false};
  model::TableInfo table{"public", "orders", 500000, 0, 0, {}, {}, {}};

  auto partial = test_support::btree("orders_status_partial", "orders", {"status"});
  partial.predicate = "(status <> 'shipped'::text)";
  table.indexes = {partial};
  CHECK_FALSE(heuristics::covering_index(candidate, table).has_value());

  auto invalid = test_support::btree("orders_status_invalid", "orders", {"status"});
  invalid.valid = false;
  table.indexes = {invalid};
  CHECK_FALSE(heuristics::covering_index(candidate, table).has_value());

  auto expression = test_support::btree("orders_lower_status", "orders", {"status"});
  expression.is_expression = {true};
  table.indexes = {expression};
  CHECK_FALSE(heuristics::covering_index(candidate, table).has_value());

  auto pattern = test_support::btree("orders_status_pattern", "orders", {"status"});
  pattern.opclasses = {"text_pattern_ops"};
  table.indexes = {pattern};
  CHECK_FALSE(heuristics::covering_index(candidate, table).has_value());

  auto hash = test_support::btree("orders_status_hash", "orders", {"status"});
  hash.access_method = "hash";
  table.indexes = {hash};
  CHECK_FALSE(heuristics::covering_index(candidate, table).has_value());
}

TEST_CASE("candidates: from parsed SQL", "[index_candidates]")
{
  auto info = parser::analyse("SELECT id, total FROM orders WHERE customer_id = $1 AND lower(note) = 'gift' "
                              "ORDER BY created_at DESC LIMIT 10");
  REQUIRE(info.ok());
  const auto candidates = heuristics::generate_index_candidates(info->shape, test_support::fixture_catalog());
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].hypothetical_ddl() == "CREATE INDEX ON public.orders (customer_id, created_at DESC)");
}
