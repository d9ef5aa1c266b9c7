#pragma once
// The human-readable report of `pgadvisor analyze`.

#include <iosfwd>

#include "advisor/analysis_report.hpp"

namespace advisor {

//! Writes the report; `verbose` adds the rejected candidates and every plan node's numbers.
void render_text(const AnalysisReport& report, bool verbose, std::ostream& out);

}  // namespace advisor
