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
};

struct RuleSettings {
  std::set<std::string> disabled;      //!< rule ids switched off by config
  double min_table_rows = 10000;       //!< below this a table is "tiny": scanning it is fine
  double selective_filter_ratio = 0.9; //!< share of scanned rows a filter must remove
  double large_sort_rows = 10000;      //!< a sort over at least this many input rows is large
  //! A hash/merge join probes few rows when the other side has at most this share of the
  //! seq-scanned side's rows: an index on the join key would replace the full scan.
  double join_probe_ratio = 0.01;
};

struct Rule {
  std::string id;     //!< stable, part of the JSON contract ("seq_scan_selective_filter")
  std::string title;  //!< one line for --help and reports
  bool needs_plan = true;
  bool needs_analyze = false;  //!< skipped on plans without actual numbers
  std::function<std::vector<model::Finding>(const RuleContext&, const RuleSettings&)> run;
};

}  // namespace heuristics
