#pragma once
// The candidate kinds beyond the plain btree (partial, covering, pattern, GIN, BRIN,
// expression), one function each, sharing what generate_candidate_set() knows about a table.

#include <string>
#include <vector>

#include "heuristics/index_candidates.hpp"

namespace heuristics::detail {

//! One table of the query, as the generator sees it.
struct TableContext {
  const parser::QueryShape& shape;
  std::size_t table_index;
  const model::TableInfo& table;
  const model::Catalog& catalog;
  const CandidateSettings& settings;
  std::vector<std::string> equalities;  //!< plain columns, most selective first
  std::vector<std::string> ranges;      //!< plain columns, most selective first

  //! The predicates of the query on this table (WHERE and ON, not HAVING), resolved with the
  //! catalog, with the column known to the catalog.
  std::vector<const parser::Predicate*> predicates() const;
};

IndexCandidate make_candidate(const model::TableInfo& table, CandidateKind kind);
void push_column(IndexCandidate& candidate, const std::string& column, bool descending, std::string reason);
//! Adds or merges (same index: reasons and prerequisites joined).
void add_candidate(std::vector<IndexCandidate>& out, IndexCandidate candidate);

//! The btree with INCLUDE of the other columns the query reads on this table.
void covering_candidate(const TableContext& ctx, const IndexCandidate& btree, CandidateSet& out);
//! WHERE col = 'rare constant' on the btree's other keys.
void partial_candidates(const TableContext& ctx, const IndexCandidate& btree, CandidateSet& out);
//! LIKE 'prefix%': pattern opclass (or a plain key under the C collation).
void pattern_candidates(const TableContext& ctx, CandidateSet& out);
//! Trigram, jsonb and array GIN.
void gin_candidates(const TableContext& ctx, CandidateSet& out);
void brin_candidates(const TableContext& ctx, CandidateSet& out);
//! Function-wrapped columns; rejected unless every function is IMMUTABLE.
void expression_candidates(const TableContext& ctx, CandidateSet& out);

}  // namespace heuristics::detail
