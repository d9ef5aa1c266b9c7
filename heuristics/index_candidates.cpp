#include "heuristics/index_candidates.hpp"

#include <algorithm>

#include "heuristics/index_candidate_ddl.hpp"
#include "heuristics/index_candidate_kinds.hpp"
#include "heuristics/shape_columns.hpp"

namespace heuristics {

namespace {

void add_unique(std::vector<std::string>& list, const std::string& value)
{
  if (std::find(list.begin(), list.end(), value) == list.end())
    list.push_back(value);
}

}  // namespace

namespace detail {

namespace {

//! A column the catalog has (or a table without column details, where we cannot tell).
bool known_column(const model::TableInfo& table, const std::string& column)
{
  return table.columns.empty() || table.column(column) != nullptr;
}

}  // namespace

std::vector<const parser::Predicate*> TableContext::predicates() const
{
  std::vector<const parser::Predicate*> out;
  for (const parser::Predicate& predicate : shape.predicates) {
    if (predicate.clause == parser::Clause::having || predicate.column.column.empty())
      continue;
    if (resolve_table(predicate.column, shape, &catalog) != table_index || !known_column(table, predicate.column.column))
      continue;
    out.push_back(&predicate);
  }
  return out;
}

IndexCandidate make_candidate(const model::TableInfo& table, CandidateKind kind)
{
  IndexCandidate candidate;
  candidate.schema = table.schema;
  candidate.table = table.name;
  candidate.kind = kind;
  return candidate;
}

void push_column(IndexCandidate& candidate, const std::string& column, bool descending, std::string reason)
{
  candidate.columns.push_back(column);
  candidate.descending.push_back(descending);
  candidate.reasons.push_back(std::move(reason));
}

void add_candidate(std::vector<IndexCandidate>& out, IndexCandidate candidate)
{
  if (candidate.columns.empty())
    return;
  for (auto& existing : out) {
    if (existing == candidate) {
      for (const auto& reason : candidate.reasons)
        add_unique(existing.reasons, reason);
      for (const auto& statement : candidate.prerequisites)
        add_unique(existing.prerequisites, statement);
      return;
    }
  }
  out.push_back(std::move(candidate));
}

}  // namespace detail

namespace {

using detail::add_candidate;
using detail::make_candidate;
using detail::push_column;
using detail::TableContext;

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

void predicate_columns(TableContext& ctx)
{
  for (const parser::Predicate* predicate : ctx.predicates()) {
    if (!predicate->column.function.empty())
      continue;
    if (predicate->kind == parser::PredicateKind::equality)
      add_unique(ctx.equalities, predicate->column.column);
    else if (predicate->kind == parser::PredicateKind::range)
      add_unique(ctx.ranges, predicate->column.column);
  }
  // A column compared both ways (a = 1 AND a < 5) leads as an equality.
  std::erase_if(ctx.ranges, [&](const std::string& c) {
    return std::find(ctx.equalities.begin(), ctx.equalities.end(), c) != ctx.equalities.end();
  });
  sort_by_selectivity(ctx.equalities, ctx.table);
  sort_by_selectivity(ctx.ranges, ctx.table);
}

//! Plain columns of this table, in order, with directions; empty when any key is an expression
//! or on another table (the index could not deliver the order on its own).
std::vector<parser::OrderKey> keys_on(const std::vector<parser::OrderKey>& keys, const TableContext& ctx)
{
  std::vector<parser::OrderKey> out;
  for (const parser::OrderKey& key : keys) {
    if (!key.column.function.empty() || key.column.column.empty() ||
        resolve_table(key.column, ctx.shape, &ctx.catalog) != ctx.table_index ||
        (!ctx.table.columns.empty() && ctx.table.column(key.column.column) == nullptr))
      return {};
    out.push_back(key);
  }
  return out;
}

std::vector<parser::OrderKey> group_keys_on(const TableContext& ctx)
{
  std::vector<parser::OrderKey> keys;
  for (const parser::ColumnUse& column : ctx.shape.group_by)
    keys.push_back(parser::OrderKey{column, false, std::nullopt});
  return keys_on(keys, ctx);
}

IndexCandidate equality_prefix(const model::TableInfo& table, const std::vector<std::string>& equalities)
{
  IndexCandidate candidate = make_candidate(table, CandidateKind::btree);
  for (const auto& column : equalities)
    push_column(candidate, column, false, std::string("equality on ") + column);
  return candidate;
}

void append_order(IndexCandidate& candidate, const std::vector<parser::OrderKey>& keys, const std::string& clause)
{
  for (const parser::OrderKey& key : keys) {
    // An equality column is constant in the result: ordering by it needs no key position.
    if (std::find(candidate.columns.begin(), candidate.columns.end(), key.column.column) != candidate.columns.end())
      continue;
    push_column(candidate, key.column.column, key.descending,
                clause + " " + key.column.column + (key.descending ? " DESC" : ""));
  }
}

void join_candidates(const TableContext& ctx, CandidateSet& out)
{
  for (const parser::JoinEquality& join : ctx.shape.joins) {
    for (const parser::ColumnUse* column : {&join.left, &join.right}) {
      if (!column->function.empty() || resolve_table(*column, ctx.shape, &ctx.catalog) != ctx.table_index ||
          (!ctx.table.columns.empty() && ctx.table.column(column->column) == nullptr))
        continue;
      IndexCandidate key = make_candidate(ctx.table, CandidateKind::join_key);
      push_column(key, column->column, false, std::string("join key ") + column->column);
      add_candidate(out.candidates, std::move(key));
    }
  }
}

void table_candidates(TableContext& ctx, CandidateSet& out)
{
  predicate_columns(ctx);
  const auto order = keys_on(ctx.shape.order_by, ctx);
  const auto group = order.empty() ? group_keys_on(ctx) : std::vector<parser::OrderKey>{};
  const std::string sort_clause = order.empty() ? "GROUP BY" : "ORDER BY";
  const auto& sort_keys = order.empty() ? group : order;

  IndexCandidate full = equality_prefix(ctx.table, ctx.equalities);
  if (!ctx.ranges.empty())
    push_column(full, ctx.ranges.front(), false, std::string("range on ") + ctx.ranges.front());
  else
    append_order(full, sort_keys, sort_clause);
  add_candidate(out.candidates, full);

  if (!ctx.ranges.empty() && !sort_keys.empty()) {
    IndexCandidate ordered = equality_prefix(ctx.table, ctx.equalities);
    append_order(ordered, sort_keys, sort_clause);
    add_candidate(out.candidates, std::move(ordered));
  }
  if (!full.columns.empty()) {
    detail::covering_candidate(ctx, full, out);
    detail::partial_candidates(ctx, full, out);
  }
  detail::pattern_candidates(ctx, out);
  detail::expression_candidates(ctx, out);
  detail::gin_candidates(ctx, out);
  detail::brin_candidates(ctx, out);
  join_candidates(ctx, out);
}

//! Same key i: plain column names equal, expressions equal once normalised.
bool same_key(const IndexCandidate& candidate, std::size_t i, const model::IndexInfo& index)
{
  const bool index_expression = i < index.is_expression.size() && index.is_expression[i];
  if (candidate.key_is_expression(i) != index_expression)
    return false;
  if (index_expression)
    return normalize_sql(candidate.columns[i]) == normalize_sql(index.columns[i]);
  return candidate.columns[i] == index.columns[i];
}

std::string canonical_opclass(const std::string& opclass)
{
  // varchar_pattern_ops is text_pattern_ops under another name (varchar is binary-coercible
  // to text); jsonb_ops and array_ops are the defaults and may be spelled out.
  if (opclass == "varchar_pattern_ops")
    return "text_pattern_ops";
  if (opclass == "jsonb_ops" || opclass == "array_ops")
    return "";
  return opclass;
}

//! The index's opclass serves what the candidate's opclass is for.
bool opclass_serves(const std::string& index_opclass, const std::string& candidate_opclass)
{
  const std::string index = canonical_opclass(index_opclass);
  const std::string wanted = canonical_opclass(candidate_opclass);
  if (index == wanted)
    return true;
  // jsonb_ops supports @> as well as jsonb_path_ops does; gist_trgm_ops serves LIKE/regex.
  return (wanted == "jsonb_path_ops" && index.empty()) || (wanted == "gin_trgm_ops" && index == "gist_trgm_ops");
}

bool access_method_serves(const model::IndexInfo& index, const IndexCandidate& candidate)
{
  if (index.access_method == candidate.access_method)
    return true;
  return candidate.kind == CandidateKind::trigram && index.access_method == "gist";
}

bool includes_covered(const IndexCandidate& candidate, const model::IndexInfo& index)
{
  for (const auto& column : candidate.include_columns) {
    const bool in_keys = std::find(index.columns.begin() + static_cast<std::ptrdiff_t>(candidate.columns.size()),
                                   index.columns.end(), column) != index.columns.end();
    const bool in_include =
        std::find(index.include_columns.begin(), index.include_columns.end(), column) != index.include_columns.end();
    if (!in_keys && !in_include)
      return false;
  }
  return true;
}

}  // namespace

CandidateSet generate_candidate_set(const parser::QueryShape& shape, const model::Catalog& catalog,
                                    const CandidateSettings& settings)
{
  CandidateSet out;
  for (std::size_t i = 0; i < shape.tables.size(); ++i) {
    const model::TableInfo* table = find_table(shape.tables[i], &catalog);
    if (table == nullptr)
      continue;
    TableContext ctx{shape, i, *table, catalog, settings, {}, {}};
    table_candidates(ctx, out);
  }
  return out;
}

std::vector<IndexCandidate> generate_index_candidates(const parser::QueryShape& shape, const model::Catalog& catalog)
{
  return generate_candidate_set(shape, catalog).candidates;
}

std::optional<std::string> covering_index(const IndexCandidate& candidate, const model::TableInfo& table)
{
  const std::size_t n = candidate.columns.size();
  const bool ordered = candidate.access_method == "btree";
  for (const model::IndexInfo& index : table.indexes) {
    if (!index.valid || n == 0 || index.columns.size() < n || !access_method_serves(index, candidate) ||
        normalize_sql(index.predicate) != normalize_sql(candidate.predicate) || !includes_covered(candidate, index))
      continue;
    bool same_direction = true;
    bool reversed = true;
    bool keys_match = true;
    for (std::size_t i = 0; i < n && keys_match; ++i) {
      const std::string index_opclass = i < index.opclasses.size() ? index.opclasses[i] : std::string();
      keys_match = same_key(candidate, i, index) && opclass_serves(index_opclass, candidate.key_opclass(i));
      const bool index_desc = i < index.descending.size() && index.descending[i];
      const bool candidate_desc = i < candidate.descending.size() && candidate.descending[i];
      same_direction = same_direction && index_desc == candidate_desc;
      reversed = reversed && index_desc != candidate_desc;
    }
    if (keys_match && (!ordered || same_direction || reversed))
      return index.name;
  }
  return std::nullopt;
}

}  // namespace heuristics
