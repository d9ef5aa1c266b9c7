#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! A scalar subquery in the SELECT list that refers to the outer row: it runs once per row
//! returned. When it is one aggregate over one table correlated by one equality
//! (`(SELECT count(*) FROM b WHERE b.a_id = a.id)`), rewrites it to a LEFT JOIN on that table
//! grouped by the key, computed once for all rows; otherwise advises a JOIN or LEFT JOIN LATERAL.
Rule correlated_subquery_in_select();

}  // namespace heuristics::rewrites
