#include "heuristics/rewrites/leading_wildcard_like.hpp"

#include "heuristics/identifiers.hpp"
#include "heuristics/rewrites/rewrite_support.hpp"

namespace heuristics::rewrites {

namespace {

bool has_trigram_index(const model::TableInfo& table, const std::string& column)
{
  for (const auto& index : table.indexes) {
    if (!index.valid || (index.access_method != "gin" && index.access_method != "gist"))
      continue;
    for (std::size_t i = 0; i < index.columns.size(); ++i) {
      const bool trgm = i < index.opclasses.size() && index.opclasses[i].find("trgm") != std::string::npos;
      if (trgm && index.columns[i] == column)
        return true;
    }
  }
  return false;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (context.shape == nullptr)
    return {};
  std::vector<model::Finding> findings;
  for (const parser::Predicate& predicate : context.shape->predicates) {
    if (predicate.kind != parser::PredicateKind::like_infix || !predicate.constant || predicate.constant->empty())
      continue;
    const char first = predicate.constant->front();
    if ((first != '%' && first != '_') || !predicate.column.table || !predicate.column.function.empty())
      continue;
    const std::size_t table = *predicate.column.table;
    if (!worth_flagging(table_size(context, settings, table)))
      continue;
    if (const model::TableInfo* info = catalog_table(context, table))
      if (has_trigram_index(*info, predicate.column.column))
        continue;

    const std::string relation = relation_of(context, table);
    auto finding = make_finding("leading_wildcard_like",
                                "Pattern starts with a wildcard: no B-tree index can serve it",
                                std::string("WHERE clause: ") + predicate.column.column + (predicate.case_insensitive ? " ILIKE " : " LIKE ") +
                                  sql_string(*predicate.constant),
                                relation);
    if (auto rows = table_rows(context, table))
      finding.evidence.push_back({"table_rows", *rows, "rows"});
    finding.evidence.push_back({"pattern_length", static_cast<double>(predicate.constant->size()), "characters"});
    finding.advice = "A trigram index serves LIKE/ILIKE with any wildcards: CREATE EXTENSION pg_trgm; CREATE INDEX ON " +
                     relation + std::string(" USING gin (") + quote_ident(predicate.column.column) +
                     " gin_trgm_ops). For word searches, full-text search (tsvector) fits better; for suffix "
                     "searches, an index on reverse(" + quote_ident(predicate.column.column) + ").";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

Rule leading_wildcard_like()
{
  return Rule{"leading_wildcard_like", "LIKE pattern with a leading wildcard", false, false, run};
}

}  // namespace heuristics::rewrites
