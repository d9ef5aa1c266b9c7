#include "heuristics/rewrites/statement.hpp"

#include <algorithm>
#include <cctype>

#include "parser/query.hpp"

namespace heuristics::rewrites {

namespace {

using nlohmann::json;

void extremes(const json& node, std::optional<std::size_t>& low, std::optional<std::size_t>& high)
{
  if (node.is_object()) {
    auto found = node.find("location");
    if (found != node.end() && found->is_number_integer() && found->get<long long>() >= 0) {
      auto at = static_cast<std::size_t>(found->get<long long>());
      low = low ? std::min(*low, at) : at;
      high = high ? std::max(*high, at) : at;
    }
  }
  if (node.is_structured())
    for (const auto& child : node)
      extremes(child, low, high);
}

bool is_word(const Token& token)
{
  return token.kind == TokenKind::word || token.kind == TokenKind::quoted_identifier;
}

}  // namespace

const json* Statement::select() const
{
  auto found = stmt.find("SelectStmt");
  if (found == stmt.end())
    return nullptr;
  const json& body = *found;
  if (body.value("op", std::string("SETOP_NONE")) != "SETOP_NONE" || body.contains("valuesLists"))
    return nullptr;
  return &body;
}

std::optional<std::size_t> Statement::token_at(const json& location) const
{
  if (!location.is_number_integer() || location.get<long long>() < 0)
    return std::nullopt;
  return token_starting_at(tokens, static_cast<std::size_t>(location.get<long long>()));
}

std::shared_ptr<const Statement> statement_of(const RuleContext& context)
{
  if (context.shape == nullptr || context.shape->sql.empty())
    return nullptr;
  thread_local std::string cached_sql;
  thread_local std::shared_ptr<const Statement> cached;
  if (cached && cached_sql == context.shape->sql)
    return cached;

  auto parsed = parser::parse(context.shape->sql);
  if (!parsed || parsed->statement_count == 0)
    return nullptr;
  auto statement = std::make_shared<Statement>();
  statement->sql = context.shape->sql;
  const json& raw = parsed->tree["stmts"][0];
  statement->stmt = raw.value("stmt", json::object());
  statement->begin = static_cast<std::size_t>(raw.value("stmt_location", 0));
  const auto length = static_cast<std::size_t>(raw.value("stmt_len", 0));
  statement->end = length == 0 ? statement->sql.size() : std::min(statement->sql.size(), statement->begin + length);
  std::string_view body(statement->sql);
  body = body.substr(0, statement->end);
  for (Token token : lex(body)) {
    if (token.begin < statement->begin || token.upper == ";")
      continue;
    statement->tokens.push_back(std::move(token));
  }
  cached_sql = context.shape->sql;
  cached = statement;
  return statement;
}

void visit_nodes(const json& node, const std::function<void(const std::string&, const json&)>& visit)
{
  if (node.is_object()) {
    if (node.size() == 1 && node.begin().value().is_object() && !node.begin().key().empty() &&
        std::isupper(static_cast<unsigned char>(node.begin().key()[0])) != 0)
      visit(node.begin().key(), node.begin().value());
    for (const auto& child : node)
      visit_nodes(child, visit);
  } else if (node.is_array()) {
    for (const auto& child : node)
      visit_nodes(child, visit);
  }
}

std::optional<std::size_t> min_location(const json& node)
{
  std::optional<std::size_t> low, high;
  extremes(node, low, high);
  return low;
}

std::optional<std::size_t> max_location(const json& node)
{
  std::optional<std::size_t> low, high;
  extremes(node, low, high);
  return high;
}

std::optional<std::pair<std::size_t, std::size_t>> expression_span(const Statement& statement, const json& node,
                                                                   bool suffixes)
{
  auto low = min_location(node);
  auto high = max_location(node);
  if (!low || !high)
    return std::nullopt;
  auto first = token_starting_at(statement.tokens, *low);
  auto last = token_starting_at(statement.tokens, *high);
  if (!first || !last)
    return std::nullopt;
  const auto& tokens = statement.tokens;
  std::size_t i = *last;
  // The rightmost location is where the last sub-node starts; walk over what belongs to it.
  while (i + 1 < tokens.size()) {
    const Token& next = tokens[i + 1];
    if (next.upper == "." && i + 2 < tokens.size() && (is_word(tokens[i + 2]) || tokens[i + 2].upper == "*")) {
      i += 2;
    } else if (!suffixes) {
      break;
    } else if (next.upper == "(" || next.upper == "[") {
      const std::string close = next.upper == "(" ? ")" : "]";
      std::size_t j = i + 1;
      while (j < tokens.size() && !(tokens[j].upper == close && tokens[j].depth == next.depth))
        ++j;
      if (j >= tokens.size())
        break;
      i = j;
    } else if (next.upper == "::" && i + 2 < tokens.size() && is_word(tokens[i + 2])) {
      i += 2;
      // Multi-word types (double precision, timestamp with time zone) and modifiers.
      while (i + 1 < tokens.size() && tokens[i + 1].kind == TokenKind::word &&
             (tokens[i + 1].upper == "PRECISION" || tokens[i + 1].upper == "WITH" || tokens[i + 1].upper == "WITHOUT" ||
              tokens[i + 1].upper == "TIME" || tokens[i + 1].upper == "ZONE" || tokens[i + 1].upper == "VARYING"))
        ++i;
    } else {
      break;
    }
  }
  // A closing parenthesis opened inside the span (a call's argument list ending the node).
  std::size_t end = tokens[i].end;
  int balance = 0;
  for (std::size_t k = *first; k <= i; ++k) {
    if (tokens[k].upper == "(")
      ++balance;
    else if (tokens[k].upper == ")")
      --balance;
  }
  while (balance > 0 && i + 1 < tokens.size() && tokens[i + 1].upper == ")") {
    ++i;
    --balance;
    end = tokens[i].end;
  }
  return std::make_pair(tokens[*first].begin, end);
}

std::string apply_edits(const Statement& statement, std::vector<Edit> edits)
{
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t at = statement.begin;
  for (const Edit& edit : edits) {
    if (edit.begin < at)
      continue;  // overlapping edits: the caller's bug, keep the first
    out += statement.text(at, edit.begin);
    out += edit.replacement;
    at = edit.end;
  }
  out += statement.text(at, statement.end);
  auto first = out.find_first_not_of(" \t\r\n");
  auto last = out.find_last_not_of(" \t\r\n;");
  return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

std::size_t SelectClauses::next_after(std::size_t after) const
{
  std::size_t best = end;
  for (const auto& clause : {select, from, where, group, having, window, order, limit, offset, fetch, for_})
    if (clause && *clause > after && *clause < best)
      best = *clause;
  return best;
}

SelectClauses select_clauses(const Statement& statement)
{
  SelectClauses clauses;
  const auto& tokens = statement.tokens;
  clauses.end = tokens.size();
  clauses.select = find_word(tokens, "SELECT", 0, 0, tokens.size());
  if (!clauses.select)
    return clauses;
  auto from_start = *clauses.select + 1;
  auto first = [&](std::string_view word) { return find_word(tokens, word, 0, from_start, tokens.size()); };
  clauses.from = first("FROM");
  clauses.where = first("WHERE");
  clauses.group = first("GROUP");
  clauses.having = first("HAVING");
  clauses.window = first("WINDOW");
  clauses.order = first("ORDER");
  clauses.limit = first("LIMIT");
  clauses.offset = first("OFFSET");
  clauses.fetch = first("FETCH");
  clauses.for_ = first("FOR");
  return clauses;
}

std::optional<std::pair<std::string, std::string>> column_ref_parts(const json& column_ref)
{
  auto fields = column_ref.find("fields");
  if (fields == column_ref.end() || !fields->is_array() || fields->empty() || fields->size() > 3)
    return std::nullopt;
  std::vector<std::string> names;
  for (const auto& field : *fields) {
    auto str = field.find("String");
    if (str == field.end())
      return std::nullopt;
    names.push_back(str->value("sval", std::string()));
  }
  std::string column = names.back();
  std::string qualifier = names.size() >= 2 ? names[names.size() - 2] : std::string();
  return std::make_pair(qualifier, column);
}

std::optional<std::size_t> shape_table(const parser::QueryShape& shape, const std::string& qualifier, int level)
{
  std::optional<std::size_t> only;
  std::size_t at_level = 0;
  for (std::size_t i = 0; i < shape.tables.size(); ++i) {
    const auto& table = shape.tables[i];
    if (table.select_level != level)
      continue;
    ++at_level;
    only = i;
    if (!qualifier.empty() && (table.alias == qualifier || (table.alias.empty() && table.name == qualifier)))
      return i;
  }
  if (qualifier.empty() && at_level == 1)
    return only;
  return std::nullopt;
}

std::vector<std::pair<std::size_t, std::size_t>> split_at_word(const Statement& statement, std::size_t from,
                                                               std::size_t to, std::string_view word, int depth)
{
  std::vector<std::pair<std::size_t, std::size_t>> pieces;
  const auto& tokens = statement.tokens;
  to = std::min(to, tokens.size());
  std::size_t start = from;
  bool in_between = false;
  for (std::size_t i = from; i < to; ++i) {
    const Token& token = tokens[i];
    if (token.depth != depth || token.kind != TokenKind::word)
      continue;
    if (token.upper == "BETWEEN") {
      in_between = true;
      continue;
    }
    if (token.upper != word)
      continue;
    if (word == "AND" && in_between) {
      in_between = false;
      continue;
    }
    if (i == start)
      return {};
    pieces.push_back(token_span(statement, start, i));
    start = i + 1;
  }
  if (start >= to)
    return {};
  pieces.push_back(token_span(statement, start, to));
  return pieces;
}

std::pair<std::size_t, std::size_t> token_span(const Statement& statement, std::size_t from, std::size_t to)
{
  return {statement.tokens[from].begin, statement.tokens[to - 1].end};
}

std::vector<const json*> bool_args(const json& node, const std::string& boolop)
{
  auto found = node.find("BoolExpr");
  if (found != node.end() && found->value("boolop", std::string()) == boolop && found->contains("args")) {
    std::vector<const json*> out;
    for (const auto& arg : (*found)["args"])
      out.push_back(&arg);
    return out;
  }
  return {&node};
}

namespace {

void collect_qualifiers(const json& node, std::vector<std::string>& out)
{
  if (node.is_object()) {
    if (node.contains("SubLink") || node.contains("SelectStmt"))
      return;
    auto ref = node.find("ColumnRef");
    if (ref != node.end()) {
      if (auto parts = column_ref_parts(*ref))
        out.push_back(parts->first);
      return;
    }
  }
  if (node.is_structured())
    for (const auto& child : node)
      collect_qualifiers(child, out);
}

}  // namespace

std::vector<std::string> column_qualifiers(const json& node)
{
  std::vector<std::string> out;
  collect_qualifiers(node, out);
  return out;
}

std::optional<std::string> string_constant(const json& node)
{
  const json* body = node_of(node, "A_Const");
  if (const json* cast = node_of(node, "TypeCast"))
    if (cast->contains("arg"))
      body = node_of((*cast)["arg"], "A_Const");
  if (body == nullptr)
    return std::nullopt;
  auto sval = body->find("sval");
  if (sval == body->end() || !sval->is_object())
    return std::nullopt;
  return sval->value("sval", std::string());
}

const json* node_of(const json& node, const std::string& type)
{
  if (!node.is_object())
    return nullptr;
  auto found = node.find(type);
  return found == node.end() || !found->is_object() ? nullptr : &*found;
}

const json& child(const json& node, const std::string& key)
{
  static const json null_json;
  if (!node.is_object())
    return null_json;
  auto found = node.find(key);
  return found == node.end() ? null_json : *found;
}

const json& child(const json& node, std::size_t index)
{
  static const json null_json;
  return node.is_array() && index < node.size() ? node[index] : null_json;
}

std::string function_name(const json& func_call)
{
  const json& names = child(func_call, "funcname");
  if (!names.is_array() || names.empty())
    return {};
  return child(child(names.back(), "String"), "sval").is_string() ? names.back()["String"]["sval"].get<std::string>()
                                                                   : std::string();
}

int max_param(const Statement& statement)
{
  int highest = 0;
  for (const Token& token : statement.tokens)
    if (token.kind == TokenKind::param)
    {
      int value = 0;
      for (char c : token.upper.substr(1))
        value = std::min(value * 10 + (c - '0'), 1000000);  // $n is at most 65535 in practice
      highest = std::max(highest, value);
    }
  return highest;
}

}  // namespace heuristics::rewrites
