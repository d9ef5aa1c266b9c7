#include "heuristics/rewrites/rewrite_support.hpp"

#include "heuristics/shape_columns.hpp"

namespace heuristics::rewrites {

const model::TableInfo* catalog_table(const RuleContext& context, std::size_t table)
{
  if (context.shape == nullptr || table >= context.shape->tables.size())
    return nullptr;
  return find_table(context.shape->tables[table], context.catalog);
}

TableSize table_size(const RuleContext& context, const RuleSettings& settings, std::size_t table)
{
  if (context.catalog == nullptr)
    return TableSize::no_catalog;
  const model::TableInfo* info = catalog_table(context, table);
  if (info == nullptr)
    return TableSize::not_in_catalog;
  // reltuples -1: never analysed; the page count still tells a big table from a small one.
  const double rows = info->reltuples >= 0 ? info->reltuples : static_cast<double>(info->relpages) * 100;
  return rows >= settings.min_table_rows ? TableSize::large : TableSize::small;
}

bool worth_flagging(TableSize size)
{
  return size == TableSize::large || size == TableSize::no_catalog;
}

std::string relation_of(const RuleContext& context, std::size_t table)
{
  if (const model::TableInfo* info = catalog_table(context, table))
    return relation_text(info->schema, info->name);
  if (context.shape == nullptr || table >= context.shape->tables.size())
    return {};
  const auto& ref = context.shape->tables[table];
  return relation_text(ref.schema, ref.name);
}

std::optional<double> table_rows(const RuleContext& context, std::size_t table)
{
  const model::TableInfo* info = catalog_table(context, table);
  if (info == nullptr || info->reltuples < 0)
    return std::nullopt;
  return info->reltuples;
}

bool column_leads_index(const model::TableInfo& table, const std::string& column)
{
  for (const auto& index : table.indexes)
    if (index.valid && !index.columns.empty() && (index.is_expression.empty() || !index.is_expression[0]) &&
        index.columns[0] == column)
      return true;
  return false;
}

model::Finding make_finding(std::string rule_id, std::string title, std::string location, std::string relation)
{
  model::Finding finding;
  finding.rule_id = std::move(rule_id);
  finding.title = std::move(title);
  finding.location = std::move(location);
  finding.relation = std::move(relation);
  return finding;
}

std::string sql_string(const std::string& value)
{
  std::string out = "'";
  for (char c : value) {
    out += c;
    if (c == '\'')
      out += '\'';
  }
  return out + "'";
}

}  // namespace heuristics::rewrites
