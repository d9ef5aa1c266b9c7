#pragma once
// The human-readable report of `pgadvisor analyze`.

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "advisor/analysis_report.hpp"
#include "model/recommendation.hpp"

namespace advisor {

//! Writes the report; `verbose` adds the rejected candidates and every plan node's numbers.
void render_text(const AnalysisReport& report, bool verbose, std::ostream& out);

// The sections the one-query and the workload text reports share, so both read the same.

//! "Recommendations: none" when there are none; else the heading, then `render_one` for each
//! recommendation in the given (ranked) order.
void render_recommendations_section(const std::vector<model::Recommendation>& recommendations, std::ostream& out,
                                    const std::function<void(const model::Recommendation&, std::ostream&)>& render_one);

//! The closing sections: with `verbose`, the dropped candidates' reasons under
//! `rejected_heading`; then the notes. An empty list writes nothing, not even its heading.
void render_rejected_and_notes(const std::vector<model::RejectedCandidate>& rejected, const char* rejected_heading,
                               const std::vector<std::string>& notes, bool verbose, std::ostream& out);

}  // namespace advisor
