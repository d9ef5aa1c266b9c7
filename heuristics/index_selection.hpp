#pragma once
// Which validated index candidates to recommend: pure decisions on HypoPG numbers.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "heuristics/index_candidates.hpp"

namespace heuristics {

//! A candidate costed with a hypothetical index.
struct CandidateEvaluation {
  IndexCandidate candidate;
  double cost_before = 0;
  double cost_after = 0;
  std::int64_t index_bytes = 0;  //!< hypopg_relation_size
  bool index_used = false;       //!< the hypothetical plan uses the index
  std::string plan_after_json;   //!< the hypothetical plan, carried into the recommendation's trace

  //! 1 - after/before (0 when before is not positive).
  double improvement() const;
};

struct SelectionSettings {
  double min_improvement = 0.3;  //!< share of the cost an index must save
};

struct Selection {
  std::vector<CandidateEvaluation> chosen;  //!< best improvement first
  std::vector<std::pair<IndexCandidate, std::string>> rejected;  //!< with the reason
};

//! The evaluations are for one query (or costed over the same workload), so candidates compete.
//! Keeps the candidates the planner uses and that save at least min_improvement; rejects the
//! rest ("not used by the planner", "12 % cheaper, below the 30 % bar"). Among the kept ones on
//! the same table, of two where one's columns are a prefix (or subset) of the other's, or whose
//! improvements are within 2 points, the one with fewer columns wins, unless the wider one is
//! clearly better (more than 5 points): so never two single-column indexes where one
//! two-column index serves, and never a wide index that buys nothing.
Selection select_indexes(std::vector<CandidateEvaluation> evaluations, const SelectionSettings& settings);

//! For one statement, whether an index is still worth it on top of those already chosen for
//! it: two indexes that each make the query cheap alone are alternatives, not a pair. Costs
//! are the what-if costs with the chosen indexes alone and with the candidate added. Returns
//! the rejection reason ("4 % cheaper on top of orders_a_idx, below the 30 % bar"), or nullopt when the candidate saves at least min_improvement of the
//! remaining cost and the planner uses it.
std::optional<std::string> marginal_rejection(const IndexCandidate& candidate, const std::string& chosen_label,
                                              double cost_with_chosen, double cost_with_both, bool used,
                                              const SelectionSettings& settings);

//! Why a partial candidate on `col = 'constant'` does not suit advice that outlives one query
//! text, or nullopt when it does: the constant must be one of the column's common values
//! (pg_stats) on a column with few distinct values (an enum-like status, not an id whose
//! value changes from call to call). Non-partial candidates: nullopt.
std::optional<std::string> partial_misfit(const IndexCandidate& candidate, const model::TableInfo& table);

//! Stable recommendation id: 16 lowercase hex digits of FNV-1a 64 over
//! target + '\n' + kind + '\n' + statement.
std::string recommendation_id(const std::string& target, const std::string& kind, const std::string& statement);

}  // namespace heuristics
