// Time the SQL rewrite rules take per statement (each rule set parses the statement once more
// and lexes it), and how many findings and rewrites a small corpus yields.

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "heuristics/rewrites/rewrite_rules.hpp"
#include "parser/query.hpp"

int main()
{
  const std::vector<std::string> corpus = {
    "SELECT c.id FROM customers c WHERE c.id NOT IN (SELECT o.customer_id FROM orders o WHERE o.status = 'open')",
    "SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = 42 OR c.email = 'a@x'",
    "SELECT id, status FROM orders ORDER BY id LIMIT 50 OFFSET 100000",
    "SELECT id FROM customers WHERE email LIKE '%@example.com'",
    "SELECT id FROM orders WHERE created_at::date = '2024-03-01' AND status = 'open'",
    "SELECT count(*) FROM orders",
    "SELECT id FROM orders ORDER BY random() LIMIT 10",
    "SELECT DISTINCT c.id, c.email FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.status = 'open'",
    "SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS n FROM customers c",
    "SELECT id FROM orders WHERE customer_id::text = $1",
    "SELECT id, email FROM customers WHERE id = 42",
    "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.id = $1 ORDER BY o.id LIMIT 20",
  };
  std::vector<parser::QueryShape> shapes;
  for (const auto& sql : corpus) {
    auto shape = parser::shape_of(sql);
    if (!shape) {
      std::fprintf(stderr, "corpus statement does not parse: %s\n", sql.c_str());
      return 1;
    }
    shape->sql = sql;
    shapes.push_back(std::move(shape).value());
  }
  const auto rules = heuristics::rewrites::rewrite_rules();
  const heuristics::RuleSettings settings;

  std::size_t findings = 0;
  std::size_t rewrites = 0;
  const int rounds = 2000;
  auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < rounds; ++round) {
    for (const auto& shape : shapes) {
      // A fresh copy of the text defeats the per-thread parse cache, as a new statement would.
      parser::QueryShape copy = shape;
      copy.sql += " ";
      heuristics::RuleContext context;
      context.shape = &copy;
      for (const auto& rule : rules) {
        auto found = rule.run(context, settings);
        if (round == 0) {
          findings += found.size();
          for (const auto& f : found)
            rewrites += f.rewritten_sql.empty() ? 0 : 1;
        }
      }
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double per_statement_us = seconds * 1e6 / (static_cast<double>(rounds) * static_cast<double>(shapes.size()));
  std::printf("rewrite rules: %zu rules, %zu statements\n", rules.size(), shapes.size());
  std::printf("time per statement (all rewrite rules, one parse + lex): %.1f us\n", per_statement_us);
  std::printf("findings on the corpus (no catalog): %zu, with rewritten SQL: %zu\n", findings, rewrites);
  return 0;
}
