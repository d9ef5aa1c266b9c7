#pragma once
// The benefit of an index HypoPG cannot build (GIN, GiST), estimated from the plan we have:
// the scan it would replace, the rows that scan throws away, and a pg_trgm-like selectivity of
// the search pattern. Pure arithmetic on PostgreSQL's default cost constants; the result is
// marked unvalidated and says how it was reached.

#include <optional>
#include <string>

#include "heuristics/index_candidates.hpp"
#include "model/catalog.hpp"
#include "model/plan.hpp"

namespace heuristics {

struct UnvalidatedEstimate {
  double scan_cost_before = 0;  //!< total cost of the scan node(s) the index would replace
  double scan_cost_after = 0;   //!< estimated cost of a bitmap scan through the index instead
  double plan_cost_before = 0;  //!< the whole plan's total cost
  double plan_cost_after = 0;   //!< the plan with the scans replaced (never above before)
  double selectivity = 0;       //!< share of the table's rows the index returns (with recheck)
  double rows_scanned = 0;      //!< rows the current scan reads (output + removed by filter)
  bool validated = false;       //!< always false: no what-if plan exists for it
  std::string reason;           //!< how the numbers were reached, or why there is no benefit

  //! 1 - plan_cost_after / plan_cost_before (0 when before is not positive).
  double improvement() const;
};

//! Selectivity a trigram index gives for a LIKE/ILIKE/regex pattern: the literal runs of the
//! pattern (wildcards %, _ and regex metacharacters split them) yield trigrams; each distinct
//! trigram keeps ~20 % of the rows as pg_trgm's lossy entries do, at least 1/rows. nullopt
//! when the pattern has no run of 3+ characters (the index must then scan all of itself).
std::optional<double> trigram_selectivity(const std::string& pattern, double rows);

//! Estimates the candidate against the plan. Looks for sequential scans (and bitmap/index
//! scans that still filter) of the candidate's table; without one, returns an estimate with
//! zero benefit and the reason ("the plan does not scan public.orders sequentially").
//! Rows: actual rows + rows removed by the filter when the plan was analysed, else the plan's
//! rows over the table's reltuples. The trigram selectivity, when `pattern` is given, is a
//! lower bound for the index's selectivity (recheck keeps false positives out of the result,
//! not out of the heap fetches). Cost after = PostgreSQL's bitmap heap formula (pages fetched
//! at a cost between seq_page_cost 1 and random_page_cost 4) + cpu_tuple_cost per row fetched
//! + cpu_operator_cost per recheck + the index pages read.
UnvalidatedEstimate estimate_unvalidated(const IndexCandidate& candidate, const model::Plan& plan,
                                         const model::TableInfo& table,
                                         const std::optional<std::string>& pattern = std::nullopt);

}  // namespace heuristics
