#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

//! A filter on a function of a column (lower(email) = …, created_at::date = '…',
//! date_trunc('day', created_at) = '…'): the column's plain index cannot serve it. Silent when
//! a matching expression index exists. For a day compared through ::date or
//! date_trunc('day', …) it rewrites to the sargable range [day, day + 1).
Rule function_on_column();

}  // namespace heuristics::rewrites
