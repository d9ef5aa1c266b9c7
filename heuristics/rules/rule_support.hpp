#pragma once
// Small pieces the plan rules share: naming the scanned table and formatting numbers.

#include <string>

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! The catalog entry for a scanned relation: the plan's schema when VERBOSE printed it, else
//! the schema the query wrote, else the first table of that name. Null without a catalog.
const model::TableInfo* scanned_table(const model::PlanNode& scan, const RuleContext& context);

//! "schema.table" for a scanned relation, the schema found as in scanned_table().
std::string scanned_relation(const model::PlanNode& scan, const RuleContext& context);

//! A count as text without a fraction, thousands grouped: 499,500.
std::string count_text(double value);

}  // namespace heuristics::rules
