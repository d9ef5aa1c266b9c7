#include "heuristics/rewrites/distinct_over_join.hpp"

#include <algorithm>
#include <set>

#include "heuristics/rewrites/rewrite_support.hpp"
#include "heuristics/rewrites/statement.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

struct Item {
  const json* range = nullptr;  //!< RangeVar body
  std::string name;             //!< alias, else relation name
  std::optional<std::size_t> table;
  std::pair<std::size_t, std::size_t> span;  //!< its text in FROM, alias included
};

std::string range_name(const json& range)
{
  const json& alias = child(range, "alias");
  return alias.is_object() ? alias.value("aliasname", std::string()) : range.value("relname", std::string());
}

// The FROM items of `a JOIN b ON …` or `a, b`, with their text and the ON condition's span.
bool from_items(const Statement& statement, const json& select, Item (&items)[2],
                std::optional<std::pair<std::size_t, std::size_t>>& on)
{
  const json& from = child(select, "fromClause");
  auto clauses = select_clauses(statement);
  if (!clauses.from || !from.is_array())
    return false;
  const auto& tokens = statement.tokens;
  const std::size_t from_end = clauses.next_after(*clauses.from);
  auto start_of = [&](const json& range) { return statement.token_at(child(range, "location")); };
  if (from.size() == 1) {
    const json* join = node_of(from[0], "JoinExpr");
    if (join == nullptr || join->value("jointype", std::string()) != "JOIN_INNER" || join->contains("usingClause") ||
        join->value("isNatural", false) || !join->contains("quals"))
      return false;
    items[0].range = node_of(child(*join, "larg"), "RangeVar");
    items[1].range = node_of(child(*join, "rarg"), "RangeVar");
    if (items[0].range == nullptr || items[1].range == nullptr)
      return false;
    auto left = start_of(*items[0].range);
    auto right = start_of(*items[1].range);
    if (!left || !right)
      return false;
    std::size_t join_word = *left;
    while (join_word < *right && tokens[join_word].upper != "JOIN" && tokens[join_word].upper != "INNER")
      ++join_word;
    auto on_word = find_word(tokens, "ON", 0, *right, from_end);
    if (join_word == *left || join_word >= *right || !on_word || *on_word + 1 >= from_end)
      return false;
    items[0].span = token_span(statement, *left, join_word);
    items[1].span = token_span(statement, *right, *on_word);
    on = token_span(statement, *on_word + 1, from_end);
  } else if (from.size() == 2) {
    for (int i = 0; i < 2; ++i)
      items[i].range = node_of(from[i], "RangeVar");
    if (items[0].range == nullptr || items[1].range == nullptr)
      return false;
    auto left = start_of(*items[0].range);
    auto right = start_of(*items[1].range);
    if (!left || !right || *right < *left + 2 || tokens[*right - 1].upper != ",")
      return false;
    items[0].span = token_span(statement, *left, *right - 1);
    items[1].span = token_span(statement, *right, from_end);
  } else {
    return false;
  }
  for (Item& item : items)
    item.name = range_name(*item.range);
  return items[0].name != items[1].name;
}

// Qualifiers of the select list; "" for an unqualified column or a bare *.
std::set<std::string> target_qualifiers(const json& select, std::set<std::string>& columns, bool& star)
{
  std::set<std::string> out;
  visit_nodes(child(select, "targetList"), [&](const std::string& type, const json& body) {
    if (type != "ColumnRef")
      return;
    const json& fields = child(body, "fields");
    if (fields.is_array() && !fields.empty() && node_of(fields.back(), "A_Star") != nullptr) {
      const json& name = fields.size() >= 2 ? child(child(fields[fields.size() - 2], "String"), "sval") : json();
      out.insert(name.is_string() ? name.get<std::string>() : std::string());
      star = true;
      return;
    }
    if (auto parts = column_ref_parts(body)) {
      out.insert(parts->first);
      columns.insert(parts->second);
    }
  });
  return out;
}

bool selects_unique_key(const model::TableInfo* info, const std::set<std::string>& columns, bool star)
{
  if (info == nullptr)
    return false;
  for (const auto& index : info->indexes) {
    if (!(index.unique || index.primary) || !index.valid || !index.predicate.empty())
      continue;
    bool covered = !index.columns.empty();
    for (std::size_t i = 0; i < index.columns.size(); ++i)
      covered = covered && !(i < index.is_expression.size() && index.is_expression[i]) &&
                (star || columns.count(index.columns[i]) != 0);
    if (covered)
      return true;
  }
  return false;
}

std::string exists_rewrite(const Statement& statement, const json& select, const Item& kept, const Item& other,
                           const std::optional<std::pair<std::size_t, std::size_t>>& on, bool keep_distinct)
{
  auto clauses = select_clauses(statement);
  const auto& tokens = statement.tokens;
  if (!clauses.select || !clauses.from || tokens[*clauses.select].begin != statement.begin ||
      *clauses.select + 2 >= *clauses.from || tokens[*clauses.select + 1].upper != "DISTINCT")
    return {};
  const auto targets = token_span(statement, *clauses.select + 2, *clauses.from);
  std::vector<std::string> outer, inner;
  if (on)
    inner.push_back(statement.text(on->first, on->second));
  std::size_t tail = clauses.next_after(*clauses.from);
  if (clauses.where) {
    tail = clauses.next_after(*clauses.where);
    auto pieces = split_at_word(statement, *clauses.where + 1, tail, "AND", 0);
    auto args = bool_args(child(select, "whereClause"), "AND_EXPR");
    if (pieces.size() != args.size())
      return {};
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      auto qualifiers = column_qualifiers(*args[i]);
      bool only_kept = !qualifiers.empty() && std::all_of(qualifiers.begin(), qualifiers.end(),
                                                           [&](const std::string& q) { return q == kept.name; });
      std::string text = statement.text(pieces[i].first, pieces[i].second);
      (only_kept ? outer : inner).push_back(text);
    }
  }
  if (inner.empty())
    return {};
  auto joined = [](const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts)
      out += std::string(out.empty() ? "" : " AND ") + part;
    return out;
  };
  std::string sql = std::string("SELECT ") + (keep_distinct ? "DISTINCT " : "") +
                    statement.text(targets.first, targets.second) + " FROM " +
                    statement.text(kept.span.first, kept.span.second) + " WHERE " +
                    (outer.empty() ? "" : joined(outer) + " AND ") + "EXISTS (SELECT 1 FROM " +
                    statement.text(other.span.first, other.span.second) + std::string(" WHERE ") + joined(inner) + ")";
  if (tail < clauses.end)
    sql += std::string(" ") + statement.text(tokens[tail].begin, statement.end);
  return sql;
}

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  auto statement = statement_of(context);
  const json* select = statement ? statement->select() : nullptr;
  if (select == nullptr)
    return {};
  const json& distinct = child(*select, "distinctClause");
  if (!distinct.is_array() || distinct.size() != 1 || !distinct[0].empty())
    return {};  // not DISTINCT, or DISTINCT ON (…)
  for (const char* key : {"groupClause", "havingClause", "windowClause", "withClause"})
    if (select->contains(key))
      return {};
  Item items[2];
  std::optional<std::pair<std::size_t, std::size_t>> on;
  if (!from_items(*statement, *select, items, on))
    return {};
  std::set<std::string> columns;
  bool star = false;
  auto qualifiers = target_qualifiers(*select, columns, star);
  if (qualifiers.size() != 1)
    return {};
  const int kept_at = *qualifiers.begin() == items[0].name ? 0 : *qualifiers.begin() == items[1].name ? 1 : -1;
  if (kept_at < 0)
    return {};
  Item& kept = items[kept_at];
  Item& other = items[1 - kept_at];
  kept.table = shape_table(*context.shape, kept.name, 0);
  other.table = shape_table(*context.shape, other.name, 0);
  if (!kept.table || !other.table)
    return {};
  const TableSize kept_size = table_size(context, settings, *kept.table);
  const TableSize other_size = table_size(context, settings, *other.table);
  if (kept_size == TableSize::not_in_catalog || other_size == TableSize::not_in_catalog ||
      !(worth_flagging(kept_size) || worth_flagging(other_size)))
    return {};

  const model::TableInfo* kept_info = catalog_table(context, *kept.table);
  auto finding = make_finding("distinct_over_join",
                              std::string("DISTINCT removes the copies a join with ") + relation_of(context, *other.table) + " made",
                              "SELECT DISTINCT with a join", relation_of(context, *kept.table));
  if (auto rows = table_rows(context, *kept.table))
    finding.evidence.push_back({"kept_table_rows", *rows, "rows"});
  if (auto rows = table_rows(context, *other.table))
    finding.evidence.push_back({"joined_table_rows", *rows, "rows"});
  finding.advice = std::string("Only ") + kept.name + "'s columns are selected: test the other table with EXISTS (a semi-join "
                   "stops at the first match) instead of joining every match and de-duplicating the result.";
  finding.rewritten_sql =
    exists_rewrite(*statement, *select, kept, other, on, !selects_unique_key(kept_info, columns, star));
  return {finding};
}

}  // namespace

Rule distinct_over_join()
{
  return Rule{"distinct_over_join", "DISTINCT hiding a join fan-out", false, false, run};
}

}  // namespace heuristics::rewrites
