#include "advisor/daemon/analysis_step.hpp"

#include "advisor/query_analysis.hpp"

namespace advisor::daemon {

model::Result<AnalysisReport> analyse_statement(const std::string& conninfo, const std::string& sql,
                                                const AnalysisSettings& settings)
{
  return analyse_online(conninfo, sql, settings);
}

}  // namespace advisor::daemon
