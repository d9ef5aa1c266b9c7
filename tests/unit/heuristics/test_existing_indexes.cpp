// Existing indexes: INVALID ones rebuilt, leading-column duplicates dropped, unused ones
// offered for dropping with a confidence that depends on the statistics window.

#include <string>

#include "heuristics/existing_indexes.hpp"
#include "tests/support/catch.hpp"

namespace {

model::IndexInfo btree(const std::string& name, std::vector<std::string> columns, std::int64_t scans = 10)
{
  model::IndexInfo index;
  index.schema = "app";
  index.table = "orders";
  index.name = name;
  index.access_method = "btree";
  index.descending.assign(columns.size(), false);
  index.columns = std::move(columns);
  index.idx_scan = scans;
  index.size_bytes = 8 << 20;
  index.definition = "CREATE INDEX " + name + " ON app.orders USING btree (" + index.columns[0] + ")";
  return index;
}

model::Catalog catalog_of(std::vector<model::IndexInfo> indexes)
{
  model::TableInfo table;
  table.schema = "app";
  table.name = "orders";
  table.indexes = std::move(indexes);
  model::TableActivity activity;
  activity.n_tup_ins = 1000;
  activity.n_tup_upd = 500;
  table.activity = activity;
  model::Catalog catalog;
  catalog.tables.push_back(std::move(table));
  return catalog;
}

}  // namespace

TEST_CASE("existing indexes: an INVALID index is dropped and built again concurrently")
{
  auto broken = btree("orders_customer_idx", {"customer_id"});
  broken.valid = false;
  const auto advice = heuristics::review_existing_indexes(catalog_of({broken}), 30 * 86400.0);
  REQUIRE(advice.size() == 1);
  CHECK(advice[0].issue == heuristics::ExistingIndexIssue::invalid);
  CHECK(advice[0].statement ==
        "DROP INDEX CONCURRENTLY app.orders_customer_idx;\n"
        "CREATE INDEX CONCURRENTLY orders_customer_idx ON app.orders USING btree (customer_id);");
  CHECK(advice[0].reason.find("INVALID") != std::string::npos);
}

TEST_CASE("existing indexes: a leading-column duplicate is dropped, the wider one kept")
{
  const auto advice = heuristics::review_existing_indexes(
      catalog_of({btree("orders_a_idx", {"a"}), btree("orders_a_b_idx", {"a", "b"}), btree("orders_b_idx", {"b"})}),
      30 * 86400.0);
  REQUIRE(advice.size() == 1);
  CHECK(advice[0].issue == heuristics::ExistingIndexIssue::duplicate);
  CHECK(advice[0].index == "orders_a_idx");
  CHECK(advice[0].served_by == "orders_a_b_idx");
  CHECK(advice[0].statement == "DROP INDEX CONCURRENTLY app.orders_a_idx;");
  CHECK(advice[0].reason.find("1,500 rows written") != std::string::npos);
}

TEST_CASE("existing indexes: of two identical indexes the one backing a constraint stays")
{
  auto pk = btree("orders_pkey", {"id"});
  pk.backs_constraint = pk.unique = pk.primary = true;
  const auto advice =
      heuristics::review_existing_indexes(catalog_of({pk, btree("orders_id_idx", {"id"})}), 30 * 86400.0);
  REQUIRE(advice.size() == 1);
  CHECK(advice[0].index == "orders_id_idx");
  CHECK(advice[0].served_by == "orders_pkey");
}

TEST_CASE("existing indexes: directions, opclasses and predicates make different indexes")
{
  auto desc = btree("orders_a_desc_idx", {"a"});
  desc.descending = {true};
  auto pattern = btree("orders_a_pattern_idx", {"a"});
  pattern.opclasses = {"text_pattern_ops"};
  auto partial = btree("orders_a_partial_idx", {"a"});
  partial.predicate = "(status = 'pending'::text)";
  const auto advice = heuristics::review_existing_indexes(
      catalog_of({desc, pattern, partial, btree("orders_a_b_idx", {"a", "b"})}), 30 * 86400.0);
  CHECK(advice.empty());
}

TEST_CASE("existing indexes: an unused index is a drop candidate, confident only after the window")
{
  auto unused = btree("orders_note_idx", {"note"}, 0);
  auto pk = btree("orders_pkey", {"id"}, 0);
  pk.backs_constraint = pk.unique = pk.primary = true;

  const auto long_window = heuristics::review_existing_indexes(catalog_of({unused, pk}), 30 * 86400.0);
  REQUIRE(long_window.size() == 1);
  CHECK(long_window[0].issue == heuristics::ExistingIndexIssue::unused);
  CHECK(long_window[0].index == "orders_note_idx");
  CHECK(long_window[0].bytes == 8 << 20);
  REQUIRE(long_window[0].rows_written);
  CHECK(*long_window[0].rows_written == 1500);
  CHECK(long_window[0].reason.find("30 days") != std::string::npos);

  const auto short_window = heuristics::review_existing_indexes(catalog_of({unused}), 2 * 86400.0);
  REQUIRE(short_window.size() == 1);
  CHECK(short_window[0].confidence < long_window[0].confidence);
  CHECK(short_window[0].reason.find("Low confidence") != std::string::npos);

  const auto unknown = heuristics::review_existing_indexes(catalog_of({unused}), std::nullopt);
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].confidence < 0.5);

  heuristics::ExistingIndexSettings settings;
  settings.min_window_seconds = 86400;
  CHECK(heuristics::review_existing_indexes(catalog_of({unused}), 2 * 86400.0, settings)[0].confidence ==
        long_window[0].confidence);
}

TEST_CASE("existing indexes: an index without scan statistics is not called unused")
{
  auto unknown = btree("orders_note_idx", {"note"});
  unknown.idx_scan.reset();
  CHECK(heuristics::review_existing_indexes(catalog_of({unknown}), 30 * 86400.0).empty());
}
