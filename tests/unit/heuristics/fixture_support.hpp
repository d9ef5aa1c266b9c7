#pragma once
// Helpers the heuristics tests share: loading plan fixtures, building shapes and catalogs.

#include <fstream>
#include <sstream>
#include <string>

#include "model/catalog.hpp"
#include "model/plan.hpp"
#include "parser/query_shape.hpp"
#include "tests/support/catch.hpp"

namespace test_support {

inline model::Plan load_plan(const std::string& name)
{
  std::ifstream in(std::string(PGADVISOR_FIXTURES) + "/plans/" + name + ".json");
  REQUIRE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto plan = model::parse_explain_json(buffer.str());
  REQUIRE(plan.ok());
  return std::move(plan).value();
}

inline parser::ColumnUse column(std::size_t table, std::string name)
{
  parser::ColumnUse use;
  use.table = table;
  use.column = std::move(name);
  return use;
}

inline parser::Predicate predicate(parser::ColumnUse column, parser::PredicateKind kind, std::string op = "=")
{
  parser::Predicate p;
  p.column = std::move(column);
  p.kind = kind;
  p.op = std::move(op);
  return p;
}

inline parser::TableRef table_ref(std::string name, std::string alias = {})
{
  parser::TableRef ref;
  ref.name = std::move(name);
  ref.alias = std::move(alias);
  return ref;
}

inline model::ColumnStats column_stats(std::string name, std::optional<double> n_distinct)
{
  model::ColumnStats stats;
  stats.name = std::move(name);
  stats.n_distinct = n_distinct;
  return stats;
}

inline model::IndexInfo btree(std::string name, std::string table, std::vector<std::string> columns,
                              std::vector<bool> descending = {})
{
  model::IndexInfo index;
  index.schema = "public";
  index.name = std::move(name);
  index.table = std::move(table);
  index.access_method = "btree";
  index.is_expression.assign(columns.size(), false);
  index.opclasses.assign(columns.size(), "");
  index.descending = descending.empty() ? std::vector<bool>(columns.size(), false) : std::move(descending);
  index.columns = std::move(columns);
  return index;
}

//! The fixture database (scripts/capture-plan-fixtures) as the catalog reader would see it.
inline model::Catalog fixture_catalog()
{
  model::Catalog catalog;
  model::TableInfo countries{"public", "countries", 20, 1, 8192, {}, {}, {}};
  countries.columns = {column_stats("code", -1), column_stats("name", -1)};
  countries.indexes = {btree("countries_pkey", "countries", {"code"})};

  model::TableInfo customers{"public", "customers", 50000, 400, 4000000, {}, {}, {}};
  customers.columns = {column_stats("id", -1), column_stats("name", -1), column_stats("email", -1),
                       column_stats("country", 20), column_stats("created_at", -1)};
  customers.indexes = {btree("customers_pkey", "customers", {"id"}),
                       btree("customers_email_key", "customers", {"email"})};

  model::TableInfo orders{"public", "orders", 500000, 4200, 34000000, {}, {}, {}};
  orders.columns = {column_stats("id", -1), column_stats("customer_id", -0.6), column_stats("status", 3),
                    column_stats("total", -0.2), column_stats("created_at", -1), column_stats("note", 1)};
  orders.indexes = {btree("orders_pkey", "orders", {"id"}),
                    btree("orders_created_at_idx", "orders", {"created_at"})};

  model::TableInfo items{"public", "order_items", 1000000, 6400, 52000000, {}, {}, {}};
  items.columns = {column_stats("id", -1), column_stats("order_id", -0.5), column_stats("product_id", 1000),
                   column_stats("quantity", 5), column_stats("price", 10000)};
  items.indexes = {btree("order_items_pkey", "order_items", {"id"}),
                   btree("order_items_order_id_idx", "order_items", {"order_id"}),
                   btree("order_items_product_id_idx", "order_items", {"product_id"})};

  catalog.tables = {countries, customers, orders, items};
  return catalog;
}

}  // namespace test_support
