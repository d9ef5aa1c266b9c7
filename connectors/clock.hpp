#pragma once
// The wall clock, kept at the edge so that decision code can be tested with fixed times.

#include <string>

namespace connectors {

//! Now, in UTC, as ISO 8601 with seconds: "2026-11-26T20:18:16Z".
std::string utc_now_iso8601();

}  // namespace connectors
