#include "heuristics/rules/rule_support.hpp"

#include "heuristics/number_format.hpp"

#include <cmath>
#include <cstdio>

#include "heuristics/shape_columns.hpp"

namespace heuristics::rules {

namespace {

std::string shape_schema(const model::PlanNode& scan, const RuleContext& context)
{
  if (!scan.schema.empty() || context.shape == nullptr)
    return scan.schema;
  if (auto table = table_for_relation(*context.shape, scan.relation_name, scan.alias))
    return context.shape->tables[*table].schema;
  return {};
}

}  // namespace

const model::TableInfo* scanned_table(const model::PlanNode& scan, const RuleContext& context)
{
  if (context.catalog == nullptr || scan.relation_name.empty())
    return nullptr;
  return context.catalog->find(shape_schema(scan, context), scan.relation_name);
}

std::string scanned_relation(const model::PlanNode& scan, const RuleContext& context)
{
  if (const model::TableInfo* table = scanned_table(scan, context))
    return relation_text(table->schema, table->name);
  return relation_text(shape_schema(scan, context), scan.relation_name);
}

std::string count_text(double value)
{
  return format_number(std::round(value));
}

}  // namespace heuristics::rules
