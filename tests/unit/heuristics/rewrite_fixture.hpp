#pragma once
// Helpers for the rewrite rule tests: SQL fixtures with positive and negative statements, a
// catalog with large and small tables, and running one rewrite rule on a statement.
//
// Fixture format (tests/fixtures/sql/rewrite_<rule_id>.sql): "-- positive" and "-- negative"
// lines start a section; a statement ends with a line ending in ';'. A "-- stats: calls=N
// rows=M" line gives the next statement pg_stat_statements figures.

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "heuristics/rewrites/rewrite_rules.hpp"
#include "model/catalog.hpp"
#include "model/statement_stats.hpp"
#include "parser/query.hpp"
#include "tests/support/catch.hpp"

namespace rewrite_test {

struct Case {
  std::string sql;
  bool positive = false;
  std::optional<model::StatementStats> stats;
};

inline std::vector<Case> load_cases(const std::string& rule_id)
{
  std::ifstream in(std::string(PGADVISOR_FIXTURES) + "/sql/rewrite_" + rule_id + ".sql");
  REQUIRE(in.good());
  std::vector<Case> cases;
  Case current;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("-- positive", 0) == 0 || line.rfind("-- negative", 0) == 0) {
      current.positive = line.rfind("-- positive", 0) == 0;
      continue;
    }
    if (line.rfind("-- stats:", 0) == 0) {
      model::StatementStats stats;
      std::istringstream fields(line.substr(9));
      std::string field;
      while (fields >> field) {
        auto eq = field.find('=');
        if (field.substr(0, eq) == "calls")
          stats.calls = std::stod(field.substr(eq + 1));
        if (field.substr(0, eq) == "rows")
          stats.rows = std::stod(field.substr(eq + 1));
      }
      current.stats = stats;
      continue;
    }
    if (line.rfind("--", 0) == 0 || line.find_first_not_of(" \t") == std::string::npos)
      continue;
    current.sql += (current.sql.empty() ? "" : "\n") + line;
    if (!line.empty() && line.back() == ';') {
      current.sql.pop_back();
      cases.push_back(current);
      current.sql.clear();
      current.stats.reset();
    }
  }
  REQUIRE(!cases.empty());
  return cases;
}

inline model::ColumnStats col(std::string name, std::string type, bool not_null = false)
{
  model::ColumnStats c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.not_null = not_null;
  return c;
}

inline model::IndexInfo index(std::string name, std::string table, std::vector<std::string> columns,
                              bool unique = false, std::string method = "btree", std::vector<bool> expression = {},
                              std::vector<std::string> opclasses = {})
{
  model::IndexInfo i;
  i.schema = "public";
  i.name = std::move(name);
  i.table = std::move(table);
  i.access_method = std::move(method);
  i.is_expression = expression.empty() ? std::vector<bool>(columns.size(), false) : std::move(expression);
  i.opclasses = opclasses.empty() ? std::vector<std::string>(columns.size(), "") : std::move(opclasses);
  i.descending.assign(columns.size(), false);
  i.columns = std::move(columns);
  i.unique = unique;
  i.primary = unique && i.name.find("pkey") != std::string::npos;
  return i;
}

//! customers 200k (12 columns), orders 1.2M, products 20k (trigram index on name), countries 20.
inline model::Catalog catalog()
{
  model::Catalog catalog;
  model::TableInfo customers{"public", "customers", 200000, 5000, 40960000, {}, {}, {}};
  customers.columns = {col("id", "bigint", true),     col("email", "text", true),  col("name", "text"),
                       col("country_code", "text"),   col("created_at", "timestamp with time zone"),
                       col("phone", "text"),          col("street", "text"),       col("city", "text"),
                       col("zip", "text"),            col("birth_date", "date"),   col("status", "text"),
                       col("notes", "text")};
  customers.indexes = {index("customers_pkey", "customers", {"id"}, true),
                       index("customers_email_key", "customers", {"email"}, true),
                       index("customers_lower_email_idx", "customers", {"lower(email)"}, false, "btree", {true})};
  model::TableInfo orders{"public", "orders", 1200000, 20000, 163840000, {}, {}, {}};
  orders.columns = {col("id", "bigint", true), col("customer_id", "bigint", true), col("status", "text", true),
                    col("total", "numeric(12,2)"), col("created_at", "timestamp with time zone", true),
                    col("note", "text")};
  orders.indexes = {index("orders_pkey", "orders", {"id"}, true),
                    index("orders_customer_id_idx", "orders", {"customer_id"}),
                    index("orders_created_at_idx", "orders", {"created_at"})};
  model::TableInfo products{"public", "products", 20000, 400, 3276800, {}, {}, {}};
  products.columns = {col("id", "integer", true), col("name", "text", true), col("sku", "text", true),
                      col("description", "text")};
  products.indexes = {index("products_pkey", "products", {"id"}, true),
                      index("products_name_trgm", "products", {"name"}, false, "gin", {}, {"gin_trgm_ops"})};
  model::TableInfo countries{"public", "countries", 20, 1, 8192, {}, {}, {}};
  countries.columns = {col("code", "text", true), col("name", "text", true)};
  countries.indexes = {index("countries_pkey", "countries", {"code"}, true)};
  catalog.tables = {customers, orders, products, countries};
  return catalog;
}

inline const heuristics::Rule& rule(const std::string& id)
{
  static const auto rules = heuristics::rewrites::rewrite_rules();
  for (const auto& r : rules)
    if (r.id == id)
      return r;
  FAIL("no rewrite rule " << id);
  throw std::logic_error("unreachable");
}

//! Runs one rewrite rule on a statement; catalog and stats may be null.
inline std::vector<model::Finding> run(const std::string& rule_id, const std::string& sql,
                                       const model::Catalog* catalog_ptr,
                                       const model::StatementStats* stats = nullptr)
{
  auto shape = parser::shape_of(sql);
  REQUIRE(shape.ok());
  shape->sql = sql;
  heuristics::RuleContext context;
  context.shape = &*shape;
  context.catalog = catalog_ptr;
  context.stats = stats;
  return rule(rule_id).run(context, heuristics::RuleSettings{});
}

//! Every fixture: positives produce findings of the rule with evidence and advice, and any
//! rewritten SQL parses; negatives produce none. Returns the positive findings.
inline std::vector<model::Finding> check_fixtures(const std::string& rule_id, const model::Catalog* catalog_ptr)
{
  std::vector<model::Finding> all;
  for (const Case& c : load_cases(rule_id)) {
    INFO(c.sql);
    auto findings = run(rule_id, c.sql, catalog_ptr, c.stats ? &*c.stats : nullptr);
    if (!c.positive) {
      CHECK(findings.empty());
      continue;
    }
    REQUIRE(!findings.empty());
    for (const auto& f : findings) {
      CHECK(f.rule_id == rule_id);
      CHECK(!f.advice.empty());
      CHECK(!f.location.empty());
      CHECK(!f.evidence.empty());
      if (!f.rewritten_sql.empty()) {
        INFO(f.rewritten_sql);
        CHECK(parser::parse(f.rewritten_sql).ok());
      }
      all.push_back(f);
    }
  }
  return all;
}

//! The rewrite of one statement (the first finding's), which must parse.
inline std::string rewrite_of(const std::string& rule_id, const std::string& sql, const model::Catalog* catalog_ptr)
{
  auto findings = run(rule_id, sql, catalog_ptr);
  REQUIRE(!findings.empty());
  INFO(findings.front().rewritten_sql);
  CHECK(parser::parse(findings.front().rewritten_sql).ok());
  return findings.front().rewritten_sql;
}

}  // namespace rewrite_test
