#include "heuristics/index_candidates.hpp"

#include <algorithm>

#include "heuristics/identifiers.hpp"
#include "heuristics/shape_columns.hpp"

namespace heuristics {

namespace {

constexpr std::size_t max_identifier_bytes = 63;  // NAMEDATALEN - 1

//! Cuts to at most max bytes without splitting a UTF-8 sequence.
std::string truncate_utf8(std::string text, std::size_t max)
{
  if (text.size() <= max)
    return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  text.resize(cut);
  return text;
}

//! Distinct values of a column from pg_stats; nullopt without statistics.
std::optional<double> distinct_values(const model::TableInfo& table, const std::string& column)
{
  const model::ColumnStats* stats = table.column(column);
  if (stats == nullptr || !stats->n_distinct)
    return std::nullopt;
  const double n = *stats->n_distinct;
  return n >= 0 ? n : -n * std::max(0.0, table.reltuples);
}

//! Most selective (most distinct values) first; no statistics last; then by name.
void sort_by_selectivity(std::vector<std::string>& columns, const model::TableInfo& table)
{
  std::stable_sort(columns.begin(), columns.end(), [&](const std::string& a, const std::string& b) {
    const auto da = distinct_values(table, a);
    const auto db = distinct_values(table, b);
    if (da.has_value() != db.has_value())
      return da.has_value();
    if (da && db && *da != *db)
      return *da > *db;
    return a < b;
  });
}

bool indexable_kind(parser::PredicateKind kind, bool& is_range)
{
  is_range = kind == parser::PredicateKind::range;
  return kind == parser::PredicateKind::equality || is_range;
}

void add_unique(std::vector<std::string>& list, const std::string& value)
{
  if (std::find(list.begin(), list.end(), value) == list.end())
    list.push_back(value);
}

//! A column the catalog has (or a table without column details, where we cannot tell).
bool known_column(const model::TableInfo& table, const std::string& column)
{
  return table.columns.empty() || table.column(column) != nullptr;
}

void add_candidate(std::vector<IndexCandidate>& out, IndexCandidate candidate)
{
  if (candidate.columns.empty())
    return;
  for (auto& existing : out) {
    if (existing == candidate) {
      for (const auto& reason : candidate.reasons)
        add_unique(existing.reasons, reason);
      return;
    }
  }
  out.push_back(std::move(candidate));
}

IndexCandidate make_candidate(const model::TableInfo& table)
{
  IndexCandidate candidate;
  candidate.schema = table.schema;
  candidate.table = table.name;
  return candidate;
}

void push_column(IndexCandidate& candidate, const std::string& column, bool descending, std::string reason)
{
  candidate.columns.push_back(column);
  candidate.descending.push_back(descending);
  candidate.reasons.push_back(std::move(reason));
}

struct TableColumns {
  std::vector<std::string> equalities;
  std::vector<std::string> ranges;
};

TableColumns predicate_columns(const parser::QueryShape& shape, std::size_t table_index,
                               const model::TableInfo& table, const model::Catalog& catalog)
{
  TableColumns columns;
  for (const parser::Predicate& predicate : shape.predicates) {
    if (predicate.clause == parser::Clause::having || !predicate.column.function.empty())
      continue;
    bool is_range = false;
    if (!indexable_kind(predicate.kind, is_range))
      continue;
    if (resolve_table(predicate.column, shape, &catalog) != table_index || !known_column(table, predicate.column.column))
      continue;
    add_unique(is_range ? columns.ranges : columns.equalities, predicate.column.column);
  }
  // A column compared both ways (a = 1 AND a < 5) leads as an equality.
  std::erase_if(columns.ranges, [&](const std::string& c) {
    return std::find(columns.equalities.begin(), columns.equalities.end(), c) != columns.equalities.end();
  });
  sort_by_selectivity(columns.equalities, table);
  sort_by_selectivity(columns.ranges, table);
  return columns;
}

//! The ORDER BY keys when every one is a plain column of this table; empty otherwise.
std::vector<const parser::OrderKey*> order_keys_on(const parser::QueryShape& shape, std::size_t table_index,
                                                   const model::TableInfo& table, const model::Catalog& catalog)
{
  std::vector<const parser::OrderKey*> keys;
  for (const parser::OrderKey& key : shape.order_by) {
    if (!key.column.function.empty() || resolve_table(key.column, shape, &catalog) != table_index ||
        !known_column(table, key.column.column))
      return {};
    keys.push_back(&key);
  }
  return keys;
}

IndexCandidate equality_prefix(const model::TableInfo& table, const std::vector<std::string>& equalities)
{
  IndexCandidate candidate = make_candidate(table);
  for (const auto& column : equalities)
    push_column(candidate, column, false, "equality on " + column);
  return candidate;
}

void append_order(IndexCandidate& candidate, const std::vector<const parser::OrderKey*>& keys)
{
  for (const parser::OrderKey* key : keys) {
    // An equality column is constant in the result: ordering by it needs no key position.
    if (std::find(candidate.columns.begin(), candidate.columns.end(), key->column.column) != candidate.columns.end())
      continue;
    push_column(candidate, key->column.column, key->descending,
                "ORDER BY " + key->column.column + (key->descending ? " DESC" : ""));
  }
}

void table_candidates(const parser::QueryShape& shape, std::size_t table_index, const model::TableInfo& table,
                      const model::Catalog& catalog, std::vector<IndexCandidate>& out)
{
  const TableColumns columns = predicate_columns(shape, table_index, table, catalog);
  const auto order = order_keys_on(shape, table_index, table, catalog);

  IndexCandidate full = equality_prefix(table, columns.equalities);
  if (!columns.ranges.empty())
    push_column(full, columns.ranges.front(), false, "range on " + columns.ranges.front());
  else
    append_order(full, order);
  add_candidate(out, full);

  if (!columns.ranges.empty() && !order.empty()) {
    IndexCandidate ordered = equality_prefix(table, columns.equalities);
    append_order(ordered, order);
    add_candidate(out, std::move(ordered));
  }

  for (const parser::JoinEquality& join : shape.joins) {
    for (const parser::ColumnUse* column : {&join.left, &join.right}) {
      if (!column->function.empty() || resolve_table(*column, shape, &catalog) != table_index ||
          !known_column(table, column->column))
        continue;
      IndexCandidate key = make_candidate(table);
      push_column(key, column->column, false, "join key " + column->column);
      add_candidate(out, std::move(key));
    }
  }
}

}  // namespace

std::string IndexCandidate::index_name() const
{
  std::string name = table;
  for (const auto& column : columns)
    name += "_" + column;
  return truncate_utf8(name, max_identifier_bytes - 4) + "_idx";
}

std::string IndexCandidate::hypothetical_ddl() const
{
  std::string text = "CREATE INDEX ON " + qualified_name(schema, table);
  if (access_method != "btree")
    text += " USING " + access_method;
  text += " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    text += (i == 0 ? "" : ", ") + quote_ident(columns[i]);
    if (i < descending.size() && descending[i])
      text += " DESC";
  }
  return text + ")";
}

std::string IndexCandidate::ddl() const
{
  const std::string prefix = "CREATE INDEX ON ";
  return "CREATE INDEX CONCURRENTLY " + quote_ident(index_name()) + " ON " + hypothetical_ddl().substr(prefix.size());
}

bool IndexCandidate::operator==(const IndexCandidate& other) const
{
  return schema == other.schema && table == other.table && columns == other.columns &&
         descending == other.descending && access_method == other.access_method;
}

std::vector<IndexCandidate> generate_index_candidates(const parser::QueryShape& shape, const model::Catalog& catalog)
{
  std::vector<IndexCandidate> out;
  for (std::size_t i = 0; i < shape.tables.size(); ++i) {
    const model::TableInfo* table = find_table(shape.tables[i], &catalog);
    if (table == nullptr)
      continue;
    table_candidates(shape, i, *table, catalog, out);
  }
  return out;
}

std::optional<std::string> covering_index(const IndexCandidate& candidate, const model::TableInfo& table)
{
  const std::size_t n = candidate.columns.size();
  for (const model::IndexInfo& index : table.indexes) {
    if (!index.valid || index.access_method != candidate.access_method || !index.predicate.empty() ||
        index.columns.size() < n || n == 0)
      continue;
    bool same_direction = true;
    bool reversed = true;
    bool keys_match = true;
    for (std::size_t i = 0; i < n && keys_match; ++i) {
      const bool expression = i < index.is_expression.size() && index.is_expression[i];
      const bool custom_opclass = i < index.opclasses.size() && !index.opclasses[i].empty();
      keys_match = !expression && !custom_opclass && index.columns[i] == candidate.columns[i];
      const bool index_desc = i < index.descending.size() && index.descending[i];
      const bool candidate_desc = i < candidate.descending.size() && candidate.descending[i];
      same_direction = same_direction && index_desc == candidate_desc;
      reversed = reversed && index_desc != candidate_desc;
    }
    if (keys_match && (same_direction || reversed))
      return index.name;
  }
  return std::nullopt;
}

}  // namespace heuristics
