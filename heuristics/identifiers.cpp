#include "heuristics/identifiers.hpp"

#include <algorithm>
#include <array>

namespace heuristics {

namespace {

// Every keyword that is not UNRESERVED in PostgreSQL 15 (reserved, column-name and
// type/function-name keywords: pg_get_keywords() where catcode <> 'U'), sorted.
constexpr std::array<std::string_view, 151> quoted_keywords = {
  "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
  "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
  "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
  "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
  "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
  "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float",
  "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having",
  "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval",
  "into", "is", "isnull", "join", "lateral", "leading", "least", "left", "like", "limit",
  "localtime", "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not",
  "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer",
  "overlaps", "overlay", "placing", "position", "precision", "primary", "real", "references",
  "returning", "right", "row", "select", "session_user", "setof", "similar", "smallint", "some",
  "substring", "symmetric", "table", "tablesample", "then", "time", "timestamp", "to",
  "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar",
  "variadic", "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat",
  "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
  "xmlserialize", "xmltable"
};

bool is_quoted_keyword(std::string_view word)
{
  return std::binary_search(quoted_keywords.begin(), quoted_keywords.end(), word);
}

bool is_safe_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string quote_ident(std::string_view identifier)
{
  const bool safe = !identifier.empty() && ((identifier[0] >= 'a' && identifier[0] <= 'z') || identifier[0] == '_') &&
                    std::all_of(identifier.begin(), identifier.end(), is_safe_char) && !is_quoted_keyword(identifier);
  if (safe)
    return std::string(identifier);
  std::string quoted = "\"";
  for (char c : identifier) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string qualified_name(std::string_view schema, std::string_view name)
{
  if (schema.empty())
    return quote_ident(name);
  return quote_ident(schema) + "." + quote_ident(name);
}

}  // namespace heuristics
