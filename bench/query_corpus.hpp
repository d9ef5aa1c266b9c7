#pragma once
// The generated query mix the parser benchmark measures: 16 templates over 16 tables, about a
// thousand distinct statements. Shared with the fingerprint tests, which check that every
// one of them fingerprints from the parse tree without falling back to libpg_query.

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace bench {

struct TableDef {
  const char* name;
  const char* cols[5];
};

inline constexpr TableDef k_tables[] = {
  {"users", {"id", "email", "status", "created_at", "org_id"}},
  {"orders", {"id", "user_id", "total", "created_at", "state"}},
  {"order_items", {"id", "order_id", "product_id", "quantity", "price"}},
  {"products", {"id", "sku", "name", "category_id", "price"}},
  {"categories", {"id", "parent_id", "name", "slug", "position"}},
  {"invoices", {"id", "order_id", "due_at", "paid_at", "amount"}},
  {"payments", {"id", "invoice_id", "method", "amount", "captured_at"}},
  {"sessions", {"id", "user_id", "token", "expires_at", "ip"}},
  {"events", {"id", "user_id", "kind", "ts", "payload"}},
  {"audit_log", {"id", "actor_id", "action", "at", "target"}},
  {"shipments", {"id", "order_id", "carrier", "shipped_at", "status"}},
  {"reviews", {"id", "product_id", "user_id", "rating", "created_at"}},
  {"coupons", {"id", "code", "discount", "valid_until", "owner_id"}},
  {"addresses", {"id", "user_id", "country", "city", "zip"}},
  {"warehouses", {"id", "region", "name", "capacity", "opened_at"}},
  {"stock", {"id", "product_id", "warehouse_id", "quantity", "updated_at"}},
};

// Templates use %T/%U (tables), %a..%e (columns of T) and %v..%z (columns of U).
inline constexpr const char* k_templates[] = {
  "SELECT * FROM %T WHERE %a = $1",
  "SELECT %a, %b FROM %T WHERE %c = 'x' AND %d > now() - interval '1 day' ORDER BY %d DESC LIMIT 20",
  "SELECT t.%a, u.%w FROM %T t JOIN %U u ON u.%v = t.%a WHERE t.%c IN (1, 2, 3) ORDER BY t.%b LIMIT $1",
  "SELECT count(*) FROM %T WHERE %b BETWEEN $1 AND $2 AND %c IS NOT NULL",
  "SELECT %c, count(*), sum(%e) FROM %T WHERE %d >= $1 GROUP BY %c HAVING count(*) > 5 ORDER BY 2 DESC",
  "WITH recent AS (SELECT %a, %b FROM %T WHERE %d > $1) SELECT r.%a, u.%x FROM recent r JOIN %U u ON u.%v = r.%a",
  "SELECT * FROM %T t WHERE EXISTS (SELECT 1 FROM %U u WHERE u.%w = t.%a AND u.%x = $1) LIMIT 100",
  "SELECT %a FROM %T WHERE %b IN (SELECT %v FROM %U WHERE %y < 10) AND lower(%c) = $1",
  "UPDATE %T SET %c = $1, %d = now() WHERE %a = $2 RETURNING %a",
  "DELETE FROM %T WHERE %d < now() - interval '30 days' AND %c = 'expired'",
  "INSERT INTO %T (%b, %c, %d) VALUES ($1, $2, $3) ON CONFLICT (%b) DO UPDATE SET %c = excluded.%c",
  "INSERT INTO %U (%w, %x) SELECT %a, %b FROM %T WHERE %c = $1",
  "SELECT t.*, (SELECT max(u.%y) FROM %U u WHERE u.%w = t.%a) FROM %T t WHERE t.%b LIKE 'abc%' ORDER BY t.%a OFFSET 10 LIMIT 10",
  "SELECT %a, %b FROM %T WHERE %c = $1 UNION ALL SELECT %v, %w FROM %U WHERE %x ILIKE $2",
  "SELECT %a FROM %T WHERE (%b = 1 OR %c = 2) AND %d IS NULL AND %e ~ '^[a-z]+$'",
  "SELECT t.%a, u.%v, count(*) FROM %T t LEFT JOIN %U u ON u.%w = t.%a AND u.%y > 0 WHERE t.%d >= $1 AND t.%d < $2 "
  "GROUP BY t.%a, u.%v ORDER BY count(*) DESC NULLS LAST LIMIT 50",
};

inline std::string expand(const char* tmpl, const TableDef& t, const TableDef& u)
{
  std::string out;
  for (const char* p = tmpl; *p; ++p) {
    if (*p != '%' || !p[1]) {
      out.push_back(*p);
      continue;
    }
    char c = *++p;
    if (c == 'T')
      out += t.name;
    else if (c == 'U')
      out += u.name;
    else if (c >= 'a' && c <= 'e')
      out += t.cols[c - 'a'];
    else if (c >= 'v' && c <= 'z')
      out += u.cols[c - 'v'];
    else {
      out.push_back('%');
      out.push_back(c);
    }
  }
  return out;
}

//! The distinct benchmark statements, sorted.
inline std::vector<std::string> generate()
{
  std::vector<std::string> queries;
  const std::size_t n_tables = sizeof(k_tables) / sizeof(k_tables[0]);
  for (const char* tmpl : k_templates)
    for (std::size_t i = 0; i < n_tables; ++i)
      for (std::size_t j = 0; j < n_tables; j += 2)
        if (i != j)
          queries.push_back(expand(tmpl, k_tables[i], k_tables[(j + i + 1) % n_tables]));
  std::sort(queries.begin(), queries.end());
  queries.erase(std::unique(queries.begin(), queries.end()), queries.end());
  return queries;
}

}  // namespace bench
