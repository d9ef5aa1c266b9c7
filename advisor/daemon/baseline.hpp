#pragma once
// The last cumulative sample of a target as text, so that the next run (a restart, or the
// next `run --once`) computes a window against it.

#include <optional>
#include <string>

#include "model/sample.hpp"

namespace advisor::daemon {

//! The statement counters, pg_stat_statements_info and clock facts of `sample` (not the
//! table/index/database counters: deltas do not use them).
std::string baseline_to_text(const model::Sample& sample);

//! nullopt when the text is not a baseline this version wrote.
std::optional<model::Sample> baseline_from_text(const std::string& text);

}  // namespace advisor::daemon
