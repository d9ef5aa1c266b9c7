#include "heuristics/shape_columns.hpp"

namespace heuristics {

const model::TableInfo* find_table(const parser::TableRef& table, const model::Catalog* catalog)
{
  if (catalog == nullptr)
    return nullptr;
  return catalog->find(table.schema, table.name);
}

std::optional<std::size_t> resolve_table(const parser::ColumnUse& column, const parser::QueryShape& shape,
                                         const model::Catalog* catalog)
{
  if (column.table)
    return *column.table < shape.tables.size() ? column.table : std::nullopt;
  if (shape.tables.size() == 1)
    return std::size_t{0};
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < shape.tables.size(); ++i) {
    const model::TableInfo* info = find_table(shape.tables[i], catalog);
    if (info == nullptr || info->column(column.column) == nullptr)
      continue;
    // The same table twice (a self-join) is still ambiguous for an unqualified column.
    if (found)
      return std::nullopt;
    found = i;
  }
  return found;
}

std::optional<std::size_t> table_for_relation(const parser::QueryShape& shape, const std::string& relation,
                                              const std::string& alias)
{
  std::optional<std::size_t> by_name;
  for (std::size_t i = 0; i < shape.tables.size(); ++i) {
    const parser::TableRef& table = shape.tables[i];
    if (table.name != relation)
      continue;
    const std::string& shape_alias = table.alias.empty() ? table.name : table.alias;
    if (!alias.empty() && shape_alias == alias)
      return i;
    if (!by_name)
      by_name = i;
  }
  return by_name;
}

std::string relation_text(const std::string& schema, const std::string& table)
{
  return schema.empty() ? table : schema + "." + table;
}

}  // namespace heuristics
