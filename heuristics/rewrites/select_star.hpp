#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! `SELECT *` over a wide table (from the catalog's column count) in a hot statement (from
//! its statement statistics): every call ships every column and no index-only scan is
//! possible. Needs the catalog and the statistics; silent without them.
Rule select_star();

}  // namespace heuristics::rewrites
