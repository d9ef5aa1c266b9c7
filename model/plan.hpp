#pragma once
// The EXPLAIN (FORMAT JSON) plan as a tree of nodes. Parsing is tolerant: a field that a
// PostgreSQL version does not emit stays empty, and rules check before they use it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.hpp"

namespace model {

struct Buffers {
  std::int64_t shared_hit = 0;
  std::int64_t shared_read = 0;
  std::int64_t shared_dirtied = 0;
  std::int64_t shared_written = 0;
  std::int64_t local_hit = 0;
  std::int64_t local_read = 0;
  std::int64_t temp_read = 0;
  std::int64_t temp_written = 0;
};

struct PlanNode {
  std::string node_type;            //!< "Seq Scan", "Index Scan", "Hash Join"…
  std::string parent_relationship;  //!< "Outer", "Inner", "InitPlan", "SubPlan"…
  std::string subplan_name;         //!< "InitPlan 1 (returns $0)", "SubPlan 2"
  bool parallel_aware = false;      //!< "Parallel Seq Scan" when set on a Seq Scan
  std::string relation_name;
  std::string schema;
  std::string alias;
  std::string cte_name;       //!< CTE Scan
  std::string function_name;  //!< Function Scan
  std::string index_name;
  std::string scan_direction;  //!< Index scans: "Forward", "Backward", "NoMovement"
  std::string join_type;
  std::string strategy;  //!< Aggregate: Plain, Sorted, Hashed, Mixed
  std::string partial_mode;  //!< Aggregate: Simple, Partial, Finalize
  std::string operation;     //!< ModifyTable: Insert, Update, Delete, Merge
  std::string filter;
  std::string index_cond;
  std::string recheck_cond;
  std::string hash_cond;
  std::string merge_cond;
  std::string join_filter;
  std::vector<std::string> sort_keys;
  std::vector<std::string> group_keys;
  std::string sort_method;      //!< "quicksort", "top-N heapsort", "external merge"…
  std::string sort_space_type;  //!< "Memory" or "Disk"
  std::optional<std::int64_t> sort_space_kb;

  double startup_cost = 0;
  double total_cost = 0;
  double plan_rows = 0;
  int plan_width = 0;

  // Present only with ANALYZE. Times are per loop, as EXPLAIN prints them.
  std::optional<double> actual_startup_ms;
  std::optional<double> actual_total_ms;
  std::optional<double> actual_rows;
  std::optional<double> actual_loops;
  std::optional<double> rows_removed_by_filter;
  std::optional<double> rows_removed_by_index_recheck;
  std::optional<double> rows_removed_by_join_filter;
  std::optional<double> heap_fetches;
  std::optional<double> exact_heap_blocks;
  std::optional<double> lossy_heap_blocks;
  std::optional<double> hash_batches;
  std::optional<double> original_hash_batches;
  std::optional<double> peak_memory_kb;
  std::optional<int> workers_planned;
  std::optional<int> workers_launched;
  bool has_buffers = false;
  Buffers buffers;

  std::vector<PlanNode> children;
  //! HashAggregate (PostgreSQL 13+): "HashAgg Batches" and "Disk Usage" (kB); > 1 batch spilled.
  std::optional<double> hashagg_batches;
  std::optional<std::int64_t> disk_usage_kb;

  bool analyzed() const { return actual_total_ms.has_value(); }
  double loops() const { return actual_loops.value_or(1); }
  //! Rows over all loops (EXPLAIN prints the per-loop average).
  double total_actual_rows() const { return actual_rows.value_or(0) * loops(); }
  //! Wall time of this node including its children, over all loops.
  double inclusive_ms() const { return actual_total_ms.value_or(0) * loops(); }
  //! Time spent in this node alone: inclusive minus the children's inclusive time.
  double exclusive_ms() const;
  //! "Seq Scan on public.orders o" style label.
  std::string label() const;
};

struct Plan {
  PlanNode root;
  std::optional<double> planning_ms;
  std::optional<double> execution_ms;
  std::optional<double> jit_ms;  //!< total JIT time, when JIT ran
  bool analyzed = false;
  std::string json;  //!< the original EXPLAIN JSON document

  //! Depth-first visit of every node with its depth.
  template <typename F>
  void visit(F&& f) const
  {
    visit_node(root, 0, f);
  }

private:
  template <typename F>
  static void visit_node(const PlanNode& node, int depth, F& f)
  {
    f(node, depth);
    for (const auto& child : node.children)
      visit_node(child, depth + 1, f);
  }
};

//! Parses the output of EXPLAIN (FORMAT JSON), with or without ANALYZE/BUFFERS: the top-level
//! array `[{"Plan": …}]`, or the object inside it. Errors name what is missing or malformed.
Result<Plan> parse_explain_json(std::string_view text);

}  // namespace model
