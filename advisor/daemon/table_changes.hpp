#pragma once
// What happened to the tables between two samples: their write rates (triage's risk class of
// a new index) and which were ANALYZEd (an analyze recommendation someone applied). Pure.

#include <map>
#include <string>
#include <vector>

#include "model/sample.hpp"

namespace advisor::daemon {

struct TableChanges {
  std::map<std::string, double> writes_per_second;  //!< "schema.table" → rows inserted+updated+deleted per s
  std::vector<std::string> analysed;                //!< "schema.table" analysed (manually or by autovacuum)
};

//! Between `before` and `after` (same server; a table whose counters went backwards, e.g.
//! after a stats reset, counts as neither written nor analysed).
TableChanges table_changes(const model::Sample& before, const model::Sample& after);

}  // namespace advisor::daemon
