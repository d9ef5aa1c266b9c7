#pragma once
// libpg_query behind a small owning C++ API. Every pg_query_* result is freed exactly once
// inside these functions; nothing libpg_query allocates escapes them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/result.hpp"
#include "parser/query_shape.hpp"

namespace parser {

struct Fingerprint {
  std::uint64_t value = 0;
  std::string hex;  //!< 16 lowercase hex digits, as pg_query_fingerprint prints it
};

struct ParsedQuery {
  std::string sql;
  nlohmann::json tree;  //!< {"version":…, "stmts":[…]} as pg_query_parse returns it
  std::size_t statement_count = 0;
};

//! Parses SQL. Invalid SQL: ErrorKind::invalid_input with libpg_query's message and the
//! 1-based cursor position. Empty input (only blanks/comments): invalid_input "empty query".
model::Result<ParsedQuery> parse(std::string_view sql);

//! libpg_query fingerprint (stable across literal values and formatting).
model::Result<Fingerprint> fingerprint(std::string_view sql);

//! Normalised text: constants replaced by $n, as pg_stat_statements shows it.
model::Result<std::string> normalize(std::string_view sql);

//! Splits a script into statements (text of each, trimmed, without the trailing ';').
model::Result<std::vector<std::string>> split_statements(std::string_view sql);

//! The shape of the first statement of a parsed query.
QueryShape extract_shape(const ParsedQuery& parsed);

//! Parse + shape of the first statement in one call, without building an nlohmann DOM.
//! Errors as parse().
model::Result<QueryShape> shape_of(std::string_view sql);

//! Everything the analyser needs about one statement, from one call.
struct QueryInfo {
  Fingerprint fingerprint;
  std::string normalized;
  QueryShape shape;
  std::size_t statement_count = 0;
};
//! Errors as parse(). Statement count covers the whole text; fingerprint too (libpg_query
//! fingerprints every statement); the shape is the first statement's.
model::Result<QueryInfo> analyse(std::string_view sql);

struct AnalyseOptions {
  bool normalize = true;  //!< false: leave QueryInfo::normalized empty (saves a parse)
};
model::Result<QueryInfo> analyse(std::string_view sql, const AnalyseOptions& options);

}  // namespace parser
