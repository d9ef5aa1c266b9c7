#include "heuristics/index_candidate_kinds.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "heuristics/identifiers.hpp"
#include "heuristics/index_candidate_ddl.hpp"
#include "heuristics/number_format.hpp"
#include "heuristics/shape_columns.hpp"

namespace heuristics::detail {

namespace {

using parser::PredicateKind;

constexpr const char* trigram_extension = "CREATE EXTENSION IF NOT EXISTS pg_trgm";

//! "character varying(40)" -> "character varying".
std::string base_type(const model::ColumnStats* column)
{
  if (column == nullptr)
    return {};
  const std::string& type = column->type;
  const auto paren = type.find('(');
  return paren == std::string::npos ? type : type.substr(0, paren);
}

bool is_text_type(const std::string& type)
{
  return type == "text" || type == "character varying";
}

bool is_c_collation(const std::string& collation, const model::Catalog& catalog)
{
  if (collation == "C" || collation == "POSIX")
    return true;
  if (collation == "default" && catalog.features)
    return catalog.features->database_collation == "C" || catalog.features->database_collation == "POSIX";
  return false;
}

//! Share of the rows holding `value` when pg_stats lists it among the most common values of a
//! column with few distinct values (a status, a type): a recurring constant, not one of many
//! keys (tenant_id = 42) that a workload would query with every value in turn.
std::optional<double> listed_fraction(const model::TableInfo& table, const model::ColumnStats& stats,
                                      const std::string& value, double max_distinct)
{
  if (!stats.n_distinct)
    return std::nullopt;
  const double distinct =
      *stats.n_distinct >= 0 ? *stats.n_distinct : -*stats.n_distinct * std::max(0.0, table.reltuples);
  if (distinct > max_distinct)
    return std::nullopt;
  const std::size_t n = std::min(stats.most_common_vals.size(), stats.most_common_freqs.size());
  for (std::size_t i = 0; i < n; ++i)
    if (stats.most_common_vals[i] == value)
      return stats.most_common_freqs[i];
  return std::nullopt;
}

bool is_plain(const parser::Predicate& predicate)
{
  return predicate.column.function.empty() && !predicate.column.column.empty();
}

}  // namespace

void covering_candidate(const TableContext& ctx, const IndexCandidate& btree, CandidateSet& out)
{
  const auto& shape = ctx.shape;
  if (shape.kind != parser::StatementKind::select || shape.select_star)
    return;
  if (shape.limit && *shape.limit <= ctx.settings.covering_min_limit)
    return;
  std::vector<std::string> extra;
  for (const parser::ColumnUse& use : shape.columns_read) {
    if (use.column == "*")
      return;
    const auto table = resolve_table(use, shape, &ctx.catalog);
    if (!table) {
      // Unresolved: if it might be ours, an index-only scan is not certain.
      if (ctx.table.column(use.column) != nullptr)
        return;
      continue;
    }
    if (*table != ctx.table_index)
      continue;
    if (std::find(btree.columns.begin(), btree.columns.end(), use.column) == btree.columns.end() &&
        std::find(extra.begin(), extra.end(), use.column) == extra.end())
      extra.push_back(use.column);
  }
  if (extra.empty() || extra.size() > ctx.settings.max_include_columns)
    return;
  IndexCandidate covering = btree;
  covering.kind = CandidateKind::covering;
  covering.include_columns = extra;
  std::string list;
  for (const auto& column : extra)
    list += (list.empty() ? "" : ", ") + column;
  covering.reasons.push_back(std::string("INCLUDE (") + list + "): the query reads them too, so an index-only scan "
                                                  "replaces the heap fetches");
  add_candidate(out.candidates, std::move(covering));
}

void partial_candidates(const TableContext& ctx, const IndexCandidate& btree, CandidateSet& out)
{
  for (const parser::Predicate* predicate : ctx.predicates()) {
    if (!is_plain(*predicate) || predicate->kind != PredicateKind::equality || predicate->op != "=" ||
        !predicate->constant || predicate->param || predicate->under_or || predicate->clause != parser::Clause::where ||
        predicate->in_list_length > 0)
      continue;
    const model::ColumnStats* stats = ctx.table.column(predicate->column.column);
    if (stats == nullptr)
      continue;
    const auto fraction =
        listed_fraction(ctx.table, *stats, *predicate->constant, ctx.settings.partial_max_distinct);
    if (!fraction || *fraction >= ctx.settings.partial_max_fraction)
      continue;
    const std::string& column = predicate->column.column;
    IndexCandidate partial = make_candidate(ctx.table, CandidateKind::partial);
    for (std::size_t i = 0; i < btree.columns.size(); ++i)
      if (btree.columns[i] != column)
        push_column(partial, btree.columns[i], btree.descending[i], btree.reasons[i]);
    if (partial.columns.empty())
      push_column(partial, column, false, std::string("equality on ") + column);
    partial.predicate = quote_ident(column) + " = " + sql_literal(*predicate->constant);
    partial.reasons.push_back(column + " = " + sql_literal(*predicate->constant) + " holds " +
                              format_percent(*fraction) + " of the rows (pg_stats): a partial index keeps only them");
    add_candidate(out.candidates, std::move(partial));
  }
}

void pattern_candidates(const TableContext& ctx, CandidateSet& out)
{
  for (const parser::Predicate* predicate : ctx.predicates()) {
    if (!is_plain(*predicate) || predicate->kind != PredicateKind::like_prefix || predicate->case_insensitive)
      continue;
    const std::string& column = predicate->column.column;
    const model::ColumnStats* stats = ctx.table.column(column);
    const std::string type = base_type(stats);
    if (!is_text_type(type))
      continue;
    IndexCandidate candidate = make_candidate(ctx.table, CandidateKind::pattern);
    for (const auto& equality : ctx.equalities)
      if (equality != column)
        push_column(candidate, equality, false, std::string("equality on ") + equality);
    candidate.opclasses.assign(candidate.columns.size(), "");
    if (is_c_collation(stats->collation, ctx.catalog)) {
      // Under the C collation a plain btree already serves the prefix range.
      candidate.kind = CandidateKind::btree;
      push_column(candidate, column, false, std::string("LIKE prefix on ") + column + " (C collation: plain btree)");
      candidate.opclasses.clear();
    } else {
      const std::string opclass = type == "text" ? "text_pattern_ops" : "varchar_pattern_ops";
      push_column(candidate, column, false,
                  std::string("LIKE prefix on ") + column + ": its collation is not C, so only " + opclass + " serves it");
      candidate.opclasses.push_back(opclass);
    }
    add_candidate(out.candidates, std::move(candidate));
  }
}

namespace {

//! GIN operators: jsonb_path_ops supports these; jsonb_ops also ?, ?|, ?&.
bool jsonb_path_op(const std::string& op)
{
  return op == "@>" || op == "@?" || op == "@@";
}

bool jsonb_ops_op(const std::string& op)
{
  return jsonb_path_op(op) || op == "?" || op == "?|" || op == "?&";
}

bool array_op(const std::string& op)
{
  return op == "@>" || op == "<@" || op == "&&";
}

bool trigram_predicate(const parser::Predicate& predicate)
{
  return predicate.kind == PredicateKind::like_infix || predicate.kind == PredicateKind::regex ||
         (predicate.kind == PredicateKind::like_prefix && predicate.case_insensitive);
}

void trigram_candidate(const TableContext& ctx, const parser::Predicate& predicate, CandidateSet& out)
{
  IndexCandidate candidate = make_candidate(ctx.table, CandidateKind::trigram);
  candidate.access_method = "gin";
  const std::string& column = predicate.column.column;
  const std::string what = predicate.kind == PredicateKind::regex ? "regular expression"
                           : predicate.case_insensitive            ? "ILIKE pattern"
                                                                   : "LIKE pattern";
  push_column(candidate, column, false,
              what + " on " + column + (predicate.constant ? std::string(" ('") + *predicate.constant + "')" : "") +
                  ": a btree cannot serve it, a trigram GIN index can");
  candidate.opclasses = {"gin_trgm_ops"};
  if (!ctx.catalog.features || !ctx.catalog.features->has_extension("pg_trgm"))
    candidate.prerequisites.push_back(trigram_extension);
  add_candidate(out.candidates, std::move(candidate));
}

}  // namespace

void gin_candidates(const TableContext& ctx, CandidateSet& out)
{
  std::set<std::string> jsonb_columns;
  for (const parser::Predicate* predicate : ctx.predicates()) {
    if (!is_plain(*predicate))
      continue;
    const std::string& column = predicate->column.column;
    const std::string type = base_type(ctx.table.column(column));
    if (is_text_type(type) && trigram_predicate(*predicate))
      trigram_candidate(ctx, *predicate, out);
    else if (type == "jsonb" && jsonb_ops_op(predicate->op))
      jsonb_columns.insert(column);
    else if (type.size() > 2 && type.ends_with("[]") && array_op(predicate->op)) {
      IndexCandidate candidate = make_candidate(ctx.table, CandidateKind::array);
      candidate.access_method = "gin";
      push_column(candidate, column, false, predicate->op + " on the array " + column + ": GIN serves it");
      add_candidate(out.candidates, std::move(candidate));
    }
  }
  for (const std::string& column : jsonb_columns) {
    // jsonb_path_ops is smaller and faster when only containment-style operators are used.
    bool path_only = true;
    std::vector<std::string> ops;
    for (const parser::Predicate* predicate : ctx.predicates()) {
      if (!is_plain(*predicate) || predicate->column.column != column || !jsonb_ops_op(predicate->op))
        continue;
      path_only = path_only && jsonb_path_op(predicate->op);
      if (std::find(ops.begin(), ops.end(), predicate->op) == ops.end())
        ops.push_back(predicate->op);
    }
    std::string list;
    for (const auto& op : ops)
      list += (list.empty() ? "" : ", ") + op;
    IndexCandidate candidate = make_candidate(ctx.table, CandidateKind::jsonb);
    candidate.access_method = "gin";
    const std::string opclass = path_only ? "jsonb_path_ops" : "jsonb_ops";
    push_column(candidate, column, false,
                list + " on the jsonb " + column + ": GIN " + opclass +
                    (path_only ? " (only containment is used)" : " (key-existence operators need it)"));
    candidate.opclasses = {opclass};
    add_candidate(out.candidates, std::move(candidate));
  }
}

void brin_candidates(const TableContext& ctx, CandidateSet& out)
{
  const model::TableInfo& table = ctx.table;
  if (table.reltuples < ctx.settings.brin_min_rows)
    return;
  std::string writes = "write pattern not sampled";
  if (table.activity) {
    const auto& a = *table.activity;
    // BRIN summaries stay tight only while rows arrive in order and stay where they landed.
    const double changed = static_cast<double>(a.n_tup_upd + a.n_tup_del);
    if (changed > 0.05 * std::max<double>(1.0, static_cast<double>(a.n_tup_ins)))
      return;
    writes = std::string("append-only (") + format_number(static_cast<double>(a.n_tup_ins)) + " inserts, " +
             format_number(changed) + " updates/deletes)";
  }
  std::set<std::string> ranges(ctx.ranges.begin(), ctx.ranges.end());
  for (const std::string& column : ranges) {
    const model::ColumnStats* stats = table.column(column);
    if (stats == nullptr || !stats->correlation || std::fabs(*stats->correlation) < ctx.settings.brin_min_correlation)
      continue;
    IndexCandidate candidate = make_candidate(table, CandidateKind::brin);
    candidate.access_method = "brin";
    push_column(candidate, column, false,
                std::string("range on ") + column + ": correlation " + format_number(*stats->correlation) + " on " +
                    format_number(table.reltuples) + " rows, " + writes + ": a BRIN index is tiny and serves it");
    add_candidate(out.candidates, std::move(candidate));
  }
}

}  // namespace heuristics::detail
