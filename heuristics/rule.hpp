#pragma once
// A plan/shape rule: a stable id, what it needs, and a function from the query's facts to
// findings. Rules are pure: no I/O, no state; the registry runs them.

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "model/catalog.hpp"
#include "model/finding.hpp"
#include "model/plan.hpp"
#include "model/statement_stats.hpp"
#include "parser/query_shape.hpp"

namespace heuristics {

//! What a rule may look at; any pointer may be null (no plan offline, no catalog…).
struct RuleContext {
  const parser::QueryShape* shape = nullptr;
  const model::Plan* plan = nullptr;
  const model::Catalog* catalog = nullptr;
  //! The statement's pg_stat_statements figures over the window, when sampled.
  const model::StatementStats* stats = nullptr;
  //! Where rules say what they could not check and why ("sort_spill: skipped Sort: the plan has
  //! no \"Sort Space Type\" (another PostgreSQL version?)"); null: nobody listens.
  std::vector<std::string>* notes = nullptr;
};

struct RuleSettings {
  std::set<std::string> disabled;      //!< rule ids switched off by config
  double min_table_rows = 10000;       //!< below this a table is "tiny": scanning it is fine
  double selective_filter_ratio = 0.9; //!< share of scanned rows a filter must remove
  double large_sort_rows = 10000;      //!< a sort over at least this many input rows is large
  //! A hash/merge join probes few rows when the other side has at most this share of the
  //! seq-scanned side's rows: an index on the join key would replace the full scan.
  double join_probe_ratio = 0.01;

  // The tuning cookbook's plan rules (heuristics/rules/<id>.cpp).
  double index_filter_min_removed = 1000;  //!< rows an index scan's filter must throw away
  double misestimate_ratio = 10;           //!< actual/estimated (or the inverse) at least this
  double misestimate_min_rows = 500;       //!< ... with the larger of the two at least this
  double nested_loop_inner_rows = 100000;  //!< rows the inner side reads over all its loops
  double nested_loop_rows_per_loop = 1000; //!< ... per loop (or a join filter removing as many)
  double lossy_block_ratio = 0.1;          //!< lossy / (exact + lossy) heap blocks
  double heap_fetch_ratio = 0.1;           //!< heap fetches per row an index-only scan returns
  double heap_fetch_min = 1000;            //!< ... and at least this many fetches
  double jit_share = 0.2;                  //!< JIT time / execution time
  double jit_min_ms = 10;                  //!< ... and at least this many ms of JIT
  double large_offset_rows = 1000;         //!< rows a Limit fetches and throws away
  double buffers_per_row = 10;             //!< buffers a scan touches per row (or loop) it reads
  double min_read_buffers = 1000;          //!< ... over at least this many buffers (8 MB)
  double stale_modified_ratio = 0.2;       //!< rows modified since the last analyse / live rows
  double stale_min_modified = 1000;        //!< ... and at least this many modified rows
  double cte_min_rows = 1000;              //!< a materialised CTE's rows for cte_materialized
};

struct Rule {
  std::string id;     //!< stable, part of the JSON contract ("seq_scan_selective_filter")
  std::string title;  //!< one line for --help and reports
  bool needs_plan = true;
  bool needs_analyze = false;  //!< skipped on plans without actual numbers
  std::function<std::vector<model::Finding>(const RuleContext&, const RuleSettings&)> run;
};

}  // namespace heuristics
