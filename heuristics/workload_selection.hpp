#pragma once
// Which index candidates to recommend for a whole workload: pure decisions on what-if costs
// supplied by a callback, so the search is testable without a server and the number of
// what-if calls is measurable.
//
// Benefit of a set S = Σ over queries of calls × (cost without − cost with S present) minus
// the maintenance cost of S's indexes. Search: greedy by benefit per byte (lazily re-costed),
// compared with greedy by benefit, then a removal and swap pass. What-if costs are cached by
// (query, the chosen indexes relevant to it): an index is relevant to a query when it is on
// one of the query's tables and made the query cheaper on its own.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "heuristics/index_candidates.hpp"

namespace heuristics {

struct WorkloadQueryInfo {
  std::string label;                //!< for reasons: fingerprint or a short text
  double calls = 1;
  std::vector<std::string> tables;  //!< "schema.table" for every table the query reads
};

struct SelectionCandidate {
  IndexCandidate candidate;
  std::string table;             //!< "schema.table"
  std::int64_t bytes = 0;        //!< hypopg_relation_size; 0 when unknown (counted as 8 kB)
  double maintenance_cost = 0;   //!< cost units the workload's writes would spend on it
};

struct WorkloadSelectionSettings {
  std::int64_t budget_bytes = 0;   //!< total size of the new indexes; 0 recommends nothing
  std::size_t max_per_table = 3;   //!< new indexes per table
  //! Share of the cost of the queries it serves that an index must save (on top of the other
  //! chosen indexes) to be worth building.
  double min_improvement = 0.3;
  std::size_t swap_rounds = 3;     //!< improvement passes after the greedy choice
};

//! Cost of query `query` with the candidates `present` (indexes into the candidate list,
//! sorted) as hypothetical indexes; nullopt when the what-if call failed.
using WhatIfCost = std::function<std::optional<double>(std::size_t query, const std::vector<std::size_t>& present)>;

struct QueryGain {
  std::size_t query = 0;
  double cost_without = 0;  //!< with the other chosen indexes, without this one
  double cost_with = 0;     //!< with every chosen index
};

struct ChosenIndex {
  std::size_t candidate = 0;
  double benefit = 0;  //!< Σ calls × (cost_without − cost_with) − maintenance
  std::vector<QueryGain> queries;  //!< only the queries it makes cheaper
};

struct DroppedCandidate {
  std::size_t candidate = 0;
  std::string reason;  //!< with its numbers
};

struct WorkloadSelection {
  std::vector<ChosenIndex> chosen;  //!< largest benefit first
  std::vector<DroppedCandidate> dropped;
  std::vector<std::optional<double>> cost_without;  //!< per query, no new index (nullopt: failed)
  std::vector<std::optional<double>> cost_with;     //!< per query, every chosen index present
  double total_without = 0;  //!< Σ calls × cost over the costed queries
  double total_with = 0;
  std::int64_t chosen_bytes = 0;
  std::size_t what_if_calls = 0;  //!< callback invocations (cache misses)
  std::size_t cache_hits = 0;
  std::vector<std::string> notes;
};

//! Chooses the set. Every candidate ends up either chosen or dropped with a reason; none is
//! lost. A query whose cost without indexes cannot be had is left out (with a note).
WorkloadSelection select_for_workload(const std::vector<WorkloadQueryInfo>& queries,
                                      const std::vector<SelectionCandidate>& candidates, const WhatIfCost& cost,
                                      const WorkloadSelectionSettings& settings);

//! The best set by enumeration of every feasible subset (same benefit, budget and per-table
//! limit): the yardstick for the greedy search on small inputs. Refuses (nullopt) more than
//! 20 candidates.
std::optional<WorkloadSelection> exhaustive_selection(const std::vector<WorkloadQueryInfo>& queries,
                                                      const std::vector<SelectionCandidate>& candidates,
                                                      const WhatIfCost& cost,
                                                      const WorkloadSelectionSettings& settings);

//! `narrow` is served by `wide`'s leading columns: same table and access method (btree), and
//! narrow's columns (with directions, or all reversed) are a prefix of wide's.
bool served_by_prefix(const IndexCandidate& narrow, const IndexCandidate& wide);

//! Merged candidates: for two btree candidates on one table with the same leading column
//! where neither serves the other, the first's columns followed by the second's others, so
//! one index can serve both queries. At most `limit` results, none equal to an input.
std::vector<IndexCandidate> merge_candidates(const std::vector<IndexCandidate>& candidates, std::size_t limit);

}  // namespace heuristics
