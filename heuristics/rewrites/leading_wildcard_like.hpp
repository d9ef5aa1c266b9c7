#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! `col LIKE '%abc'` (or ILIKE, or a leading '_'): a B-tree index cannot serve a pattern that
//! does not start with fixed text, so the table is scanned. Silent when the column has a
//! trigram (pg_trgm) index already.
Rule leading_wildcard_like();

}  // namespace heuristics::rewrites
