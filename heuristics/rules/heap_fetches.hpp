#pragma once

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! heap_fetches: an Index Only Scan that visits the heap for many of its rows (heap fetches /
//! rows >= heap_fetch_ratio, at least heap_fetch_min fetches): the visibility map is stale, a
//! VACUUM makes the scan index-only again. Needs ANALYZE.
Rule heap_fetches();

}  // namespace heuristics::rules
