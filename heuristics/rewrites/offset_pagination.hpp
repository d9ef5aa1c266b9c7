#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! A large (or parameterised) OFFSET: every page reads and throws away all earlier rows.
//! Rewrites to keyset pagination (`WHERE key > $n`, no OFFSET) when the ORDER BY keys are plain
//! NOT NULL columns of one table, all in one direction, covering a unique index of it.
Rule offset_pagination();

}  // namespace heuristics::rewrites
