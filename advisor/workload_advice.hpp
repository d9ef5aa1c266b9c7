#pragma once
// The workload engine: every statement planned, index candidates of every kind pooled and
// merged, the set chosen for the whole workload with HypoPG what-if costs (or heuristic,
// unvalidated advice without HypoPG), existing indexes reviewed, rewrites ranked with the rest.
// Never creates anything on the server.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "advisor/analysis_settings.hpp"
#include "advisor/workload_file.hpp"
#include "advisor/workload_report.hpp"
#include "connectors/postgres/session.hpp"
#include "connectors/postgres/stat_statements_reader.hpp"
#include "heuristics/existing_indexes.hpp"
#include "model/result.hpp"

namespace advisor {

struct WorkloadSettings {
  AnalysisSettings analysis;
  std::optional<std::int64_t> budget_bytes;  //!< absolute; else budget_fraction of the tables
  double budget_fraction = 0.25;             //!< of the sizes of the tables the workload reads
  std::size_t max_per_table = 3;
  heuristics::ExistingIndexSettings existing;
  //! Planner cost units one written row spends maintaining one more index (a btree descent
  //! and a leaf write, about one random page plus CPU).
  double index_write_cost = 5;
  std::size_t merge_limit = 24;  //!< merged candidates added to the pool at most
};

//! Advises `statements` on an open session. `skipped` (statements already refused, e.g. by
//! the file parser) is carried into the report; statements on unknown tables and those that
//! cannot be planned are added to it with the reason. `source` names the input for the
//! report. Errors: only what stops the whole analysis (server gone, catalog unreadable).
model::Result<WorkloadReport> advise_workload(connectors::pg::Session& session, std::vector<WorkloadStatement> statements,
                                              std::vector<SkippedStatement> skipped, const std::string& source,
                                              const WorkloadSettings& settings);

//! `pgadvisor analyze --workload FILE`: the file's text. An empty workload (no statement at
//! all, valid or not) is invalid_input; unreachable server as Session::connect.
model::Result<WorkloadReport> analyse_workload_text(const std::string& conninfo, const std::string& text,
                                                    const std::string& file_name, const WorkloadSettings& settings);

//! `pgadvisor analyze --from-stat-statements`: what pg_stat_statements holds now for the
//! database, pgadvisor's own statements excluded; real query text sampled from
//! pg_stat_activity where a fingerprint matches. Errors as read_stat_statements().
model::Result<WorkloadReport> analyse_stat_statements(const std::string& conninfo,
                                                      const connectors::pg::StatStatementsFilter& filter,
                                                      const WorkloadSettings& settings);

}  // namespace advisor
