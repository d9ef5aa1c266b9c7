#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! `SELECT count(*) FROM big_table` with no filter: PostgreSQL reads the whole table (or its
//! smallest index) for an exact count. Needs the catalog to know the table is large.
Rule count_star_full_table();

}  // namespace heuristics::rewrites
