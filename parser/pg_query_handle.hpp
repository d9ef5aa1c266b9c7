#pragma once
// RAII over libpg_query results. Internal to the parser module: it includes pg_query.h,
// which the public headers must not (other modules don't link libpg_query).

#include <string_view>
#include <utility>

#include <pg_query.h>

#include "model/result.hpp"

namespace parser::detail {

//! Owns one pg_query_* result and frees it exactly once with its matching free function.
template <typename R, void (*Free)(R)>
class PgQueryResult {
public:
  explicit PgQueryResult(R result) : m_result(result), m_owned(true) {}
  ~PgQueryResult()
  {
    if (m_owned)
      Free(m_result);
  }
  PgQueryResult(const PgQueryResult&) = delete;
  PgQueryResult& operator=(const PgQueryResult&) = delete;
  PgQueryResult(PgQueryResult&& other) noexcept
    : m_result(other.m_result), m_owned(std::exchange(other.m_owned, false))
  {
  }
  PgQueryResult& operator=(PgQueryResult&&) = delete;

  const R& get() const { return m_result; }
  const R* operator->() const { return &m_result; }

private:
  R m_result;
  bool m_owned;
};

using ParseResult = PgQueryResult<PgQueryParseResult, pg_query_free_parse_result>;
using FingerprintResult = PgQueryResult<PgQueryFingerprintResult, pg_query_free_fingerprint_result>;
using NormalizeResult = PgQueryResult<PgQueryNormalizeResult, pg_query_free_normalize_result>;
using SplitResult = PgQueryResult<PgQuerySplitResult, pg_query_free_split_result>;

//! libpg_query's error as ErrorKind::invalid_input with its message and the 1-based
//! character position (-1 when libpg_query gives none).
model::Error to_error(const PgQueryError& error);

//! True when the text holds no statement: only blanks, comments and semicolons. Checked
//! before calling libpg_query, which accepts such text silently.
bool is_blank_sql(std::string_view sql);

//! The "empty query" error.
model::Error empty_query_error();

}  // namespace parser::detail
