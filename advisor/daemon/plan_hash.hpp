#pragma once
// The identity of a plan's shape, to notice a plan change: node types, relations, indexes,
// join types and the tree's structure, but not costs, rows or times (they move every run).

#include <string>

#include "model/plan.hpp"

namespace advisor::daemon {

//! 16 hex digits (FNV-1a 64 of the shape). Equal plans give equal hashes across runs.
std::string plan_hash(const model::Plan& plan);

}  // namespace advisor::daemon
