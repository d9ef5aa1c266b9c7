#pragma once
// Index candidates from a query's shape: which columns, in which order, on which table. The
// candidates are hypotheses; index_selection decides with HypoPG costs which ones to keep.

#include <optional>
#include <string>
#include <vector>

#include "model/catalog.hpp"
#include "parser/query_shape.hpp"

namespace heuristics {

struct IndexCandidate {
  std::string schema;
  std::string table;
  std::vector<std::string> columns;
  std::vector<bool> descending;  //!< one per column
  std::string access_method = "btree";
  std::vector<std::string> reasons;  //!< "equality on status", "ORDER BY created_at DESC"…

  //! CREATE INDEX CONCURRENTLY <table>_<col1>_<col2>_idx ON <schema>.<table> (<col> [DESC], …),
  //! every identifier quoted as quote_ident() does; the name truncated to 63 bytes (on a
  //! UTF-8 character boundary) like PostgreSQL would.
  std::string ddl() const;
  //! The same without CONCURRENTLY and without a name, for hypopg_create_index().
  std::string hypothetical_ddl() const;
  //! <table>_<col1>_<col2>_idx, at most 63 bytes, unquoted.
  std::string index_name() const;

  bool operator==(const IndexCandidate& other) const;
};

//! Candidates for every table of the query that the catalog knows (others are skipped):
//!  - equality columns first, most selective first (pg_stats n_distinct; negative means a
//!    fraction of reltuples; columns without stats last, by name), then the one most selective
//!    range column; with no range column, the ORDER BY columns (with their directions) when
//!    every ORDER BY key is on this table;
//!  - with a range column and such an ORDER BY, also the equalities + ORDER BY variant;
//!  - each join-equality column of the table on its own (the inner side of a join).
//! Unqualified columns are resolved with the catalog; function-wrapped columns, LIKE infix,
//! regex and containment predicates are skipped (expression and GIN indexes come later).
//! Identical candidates are merged (their reasons joined). Candidates an existing index
//! already covers are kept: check them with covering_index().
std::vector<IndexCandidate> generate_index_candidates(const parser::QueryShape& shape, const model::Catalog& catalog);

//! The name of an existing index on the table that already serves the candidate: a valid
//! btree without a predicate whose leading keys are the candidate's columns in order, plain
//! columns (no expressions) with default opclasses, directions equal or all reversed.
//! nullopt when there is none.
std::optional<std::string> covering_index(const IndexCandidate& candidate, const model::TableInfo& table);

}  // namespace heuristics
