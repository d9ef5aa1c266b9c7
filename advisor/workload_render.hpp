#pragma once
// The workload report as text and as one JSON document (recommendations in the contract's
// shape, shared with the one-query report).

#include <iosfwd>

#include <nlohmann/json.hpp>

#include "advisor/workload_report.hpp"

namespace advisor {

//! `verbose` adds every dropped candidate with its reason and numbers.
void render_workload_text(const WorkloadReport& report, bool verbose, std::ostream& out);

//! schema_version, generated_at, target, source, summary, queries, skipped, recommendations,
//! notes (+ rejected when verbose).
nlohmann::ordered_json workload_to_json(const WorkloadReport& report, bool verbose);

}  // namespace advisor
