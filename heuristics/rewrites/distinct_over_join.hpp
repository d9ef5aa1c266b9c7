#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! `SELECT DISTINCT a.* FROM a JOIN b ON …`: the join multiplies a's rows by their matches in b
//! only for DISTINCT to remove the copies again; b only filters. Rewrites to
//! `SELECT … FROM a WHERE EXISTS (SELECT 1 FROM b WHERE …)` (a semi-join), dropping DISTINCT
//! when the selected columns include a unique key of a.
Rule distinct_over_join();

}  // namespace heuristics::rewrites
