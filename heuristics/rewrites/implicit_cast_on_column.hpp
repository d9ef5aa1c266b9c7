#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! A column converted to match a parameter: `col::text = $1`, or (from the catalog's column
//! type) an integer column compared with `$1::numeric`, which PostgreSQL answers by casting
//! the column. Either way the column's index is unusable. Rewrites to compare the bare column
//! with the bare parameter, which then takes the column's type.
Rule implicit_cast_on_column();

}  // namespace heuristics::rewrites
