#pragma once
// Index candidates from a query's shape: which access method, which keys (columns or
// expressions, with directions and operator classes), INCLUDE columns and partial predicate.
// The candidates are hypotheses; index_selection decides with HypoPG costs (or, for what HypoPG
// cannot build, heuristics/unvalidated_estimate) which ones to keep.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/catalog.hpp"
#include "parser/query_shape.hpp"

namespace heuristics {

//! Why the candidate exists; decides its name suffix and how it is validated.
enum class CandidateKind {
  btree,       //!< equalities, one range, ORDER BY / GROUP BY keys
  covering,    //!< btree + INCLUDE (…) for an index-only scan
  partial,     //!< btree WHERE col = 'rare constant'
  expression,  //!< btree on an IMMUTABLE expression, lower(email)
  pattern,     //!< btree text_pattern_ops / varchar_pattern_ops for LIKE 'prefix%'
  trigram,     //!< GIN gin_trgm_ops for LIKE/ILIKE '%infix%' and regex
  jsonb,       //!< GIN jsonb_path_ops / jsonb_ops for containment
  array,       //!< GIN (array_ops) for @>, <@, &&
  brin,        //!< BRIN for ranges on a large table in physical order
  join_key,    //!< the inner side of a join
};

//! "btree", "covering", "partial"…
const char* to_string(CandidateKind kind);

struct IndexCandidate {
  std::string schema;
  std::string table;
  //! Key columns; for an expression key (is_expression) the expression's SQL text.
  std::vector<std::string> columns;
  std::vector<bool> descending;  //!< one per column
  std::string access_method = "btree";
  std::vector<std::string> reasons;  //!< "equality on status", "ORDER BY created_at DESC"…
  //! One per key, "" = the type's default operator class; may be empty (all default).
  std::vector<std::string> opclasses;
  //! One per key; may be empty (all plain columns).
  std::vector<bool> is_expression;
  std::vector<std::string> include_columns;
  //! Partial index predicate as SQL (identifiers and literals quoted), empty when none.
  std::string predicate;
  //! Statements to run before the DDL ("CREATE EXTENSION IF NOT EXISTS pg_trgm").
  std::vector<std::string> prerequisites;
  CandidateKind kind = CandidateKind::btree;

  //! CREATE INDEX CONCURRENTLY <name> ON <schema>.<table> [USING am] (<key> [opclass] [DESC], …)
  //! [INCLUDE (…)] [WHERE …]; every identifier quoted as quote_ident() does, expression keys in
  //! parentheses; the name as index_name().
  std::string ddl() const;
  //! The same without CONCURRENTLY and without a name, for hypopg_create_index().
  std::string hypothetical_ddl() const;
  //! <table>_<key1>_<key2>[_<kind suffix>]_idx (expressions reduced to [a-z0-9_]), at most 63
  //! bytes (cut on a UTF-8 boundary), unquoted. Different candidates on the same keys (covering,
  //! partial, pattern, GIN, BRIN) get different names.
  std::string index_name() const;
  //! HypoPG 1.3 can build it: btree (with INCLUDE, predicates, expressions, opclasses), brin and
  //! hash; not gin or gist.
  bool hypopg_supported() const;
  //! Key i is an expression / has a non-default opclass.
  bool key_is_expression(std::size_t i) const;
  std::string key_opclass(std::size_t i) const;

  //! Same index: table, keys, directions, opclasses, access method, INCLUDE and predicate.
  bool operator==(const IndexCandidate& other) const;
};

struct CandidateSettings {
  double brin_min_rows = 1'000'000;      //!< a smaller table gets no BRIN candidate
  double brin_min_correlation = 0.95;    //!< |pg_stats.correlation| at least this
  double partial_max_fraction = 0.05;    //!< a constant under this share of rows: partial index
  //! Only columns with at most this many distinct values (status-like) get partial indexes.
  double partial_max_distinct = 50;
  std::size_t max_include_columns = 2;   //!< "few extra columns" for a covering index
  //! A LIMIT at or below this fetches too few rows for an index-only scan to matter.
  std::int64_t covering_min_limit = 100;
};

struct CandidateSet {
  std::vector<IndexCandidate> candidates;
  //! Candidates that must not be built, with the reason ("date_trunc(text, timestamp with
  //! time zone) is STABLE, not IMMUTABLE").
  std::vector<std::pair<IndexCandidate, std::string>> rejected;
};

//! Candidates for every table of the query that the catalog knows (others are skipped):
//!  - btree: equality columns first, most selective first (pg_stats n_distinct; negative means
//!    a fraction of reltuples; columns without stats last, by name), then the one most
//!    selective range column; with no range column, the ORDER BY columns (with their
//!    directions, mixed ones too) when every ORDER BY key is on this table, else the GROUP BY
//!    columns when all are on this table (a sorted aggregate); with a range column and such an
//!    ORDER BY (GROUP BY), also that variant;
//!  - covering: the btree + INCLUDE of the other columns the query reads on this table, when
//!    those are 1..max_include_columns, no star is read, and no small LIMIT;
//!  - partial: an equality on a constant that pg_stats lists among the most common values at
//!    under partial_max_fraction of the rows, on a column with at most partial_max_distinct
//!    values, becomes WHERE col = 'constant' on the rest of the btree keys;
//!  - expression: a function-wrapped column compared by equality/range, keyed on the
//!    expression, only when every function/operator in it is IMMUTABLE in catalog.features
//!    (otherwise rejected with the reason; without features: rejected, not checked);
//!  - pattern: LIKE 'prefix%' on text/varchar: text_pattern_ops / varchar_pattern_ops unless
//!    the column's collation is C (then a plain btree key);
//!  - trigram: LIKE/ILIKE infix (or ILIKE prefix, or unknown pattern) and regex on text:
//!    GIN gin_trgm_ops, prerequisite CREATE EXTENSION when pg_trgm is not installed;
//!  - jsonb: @> (and @?, @@) only -> GIN jsonb_path_ops; ?, ?|, ?& too -> jsonb_ops;
//!  - array: @>, <@, && on an array column -> GIN;
//!  - brin: a range column with |correlation| >= brin_min_correlation on a table of at least
//!    brin_min_rows rows that is not updated/deleted much (when activity is known);
//!  - join_key: each join-equality column of the table on its own.
//! Unqualified columns are resolved with the catalog. Identical candidates are merged (their
//! reasons joined). Candidates an existing index already covers are kept: check them with
//! covering_index().
CandidateSet generate_candidate_set(const parser::QueryShape& shape, const model::Catalog& catalog,
                                    const CandidateSettings& settings = {});

//! generate_candidate_set(shape, catalog).candidates.
std::vector<IndexCandidate> generate_index_candidates(const parser::QueryShape& shape, const model::Catalog& catalog);

//! The name of an existing valid index on the table that already serves the candidate, or
//! nullopt. Same access method (a gist_trgm_ops index also serves a trigram candidate), the
//! candidate's keys as the index's leading keys in order (expressions compared as normalised
//! text), the same operator classes (text_/varchar_pattern_ops are one; a jsonb_ops index serves
//! a jsonb_path_ops candidate), directions equal or all reversed (btree only), the candidate's
//! INCLUDE columns among the index's other keys or INCLUDE columns, and the same predicate
//! (normalised text; none when the candidate has none).
std::optional<std::string> covering_index(const IndexCandidate& candidate, const model::TableInfo& table);

}  // namespace heuristics
