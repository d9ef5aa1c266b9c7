#include "parser/normalized_text.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "parser/sql_comments.hpp"

namespace parser {

namespace {

enum class TokenKind { word, param, op, punct, opaque };

struct Token {
  TokenKind kind = TokenKind::punct;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;  //!< lower-cased for words; the digits for params
};

bool word_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

bool op_char(char c)
{
  return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos;
}

//! End of a '…' string starting at `i` (backslash escapes only for E'…').
std::size_t skip_string(std::string_view sql, std::size_t i, bool backslash)
{
  for (++i; i < sql.size(); ++i) {
    if (backslash && sql[i] == '\\') {
      ++i;
      continue;
    }
    if (sql[i] == '\'') {
      if (i + 1 < sql.size() && sql[i + 1] == '\'') {
        ++i;
        continue;
      }
      return i + 1;
    }
  }
  return sql.size();
}

//! Splits SQL into the tokens the rewrites look at; strings, quoted identifiers, comments and
//! dollar-quoted bodies become opaque tokens so nothing inside them is ever rewritten.
std::vector<Token> tokenize(std::string_view sql)
{
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const std::size_t start = i;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (comment_at(sql, i)) {
      i = skip_comment(sql, i);
      continue;
    }
    if (c == '\'') {
      const bool escaped = start > 0 && (sql[start - 1] == 'E' || sql[start - 1] == 'e') &&
                           !tokens.empty() && tokens.back().end == start && tokens.back().text == "e";
      if (escaped)
        tokens.pop_back();
      i = skip_string(sql, i, escaped);
      tokens.push_back({TokenKind::opaque, escaped ? start - 1 : start, i, {}});
      continue;
    }
    if (c == '"') {
      for (++i; i < sql.size(); ++i) {
        if (sql[i] == '"' && !(i + 1 < sql.size() && sql[i + 1] == '"'))
          break;
        if (sql[i] == '"')
          ++i;
      }
      i = std::min(i + 1, sql.size());
      tokens.push_back({TokenKind::opaque, start, i, {}});
      continue;
    }
    if (c == '$') {
      std::size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])))
        ++j;
      if (j > i + 1) {
        tokens.push_back({TokenKind::param, start, j, std::string(sql.substr(i + 1, j - i - 1))});
        i = j;
        continue;
      }
      // Dollar quote: $tag$ … $tag$
      j = i + 1;
      while (j < sql.size() && word_char(sql[j]))
        ++j;
      if (j < sql.size() && sql[j] == '$') {
        const std::string tag(sql.substr(i, j - i + 1));
        const auto close = sql.find(tag, j + 1);
        i = close == std::string_view::npos ? sql.size() : close + tag.size();
        tokens.push_back({TokenKind::opaque, start, i, {}});
        continue;
      }
      ++i;
      tokens.push_back({TokenKind::punct, start, i, "$"});
      continue;
    }
    if (word_char(c)) {
      while (i < sql.size() && (word_char(sql[i]) || sql[i] == '$'))
        ++i;
      std::string text(sql.substr(start, i - start));
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      tokens.push_back({TokenKind::word, start, i, std::move(text)});
      continue;
    }
    if (op_char(c)) {
      while (i < sql.size() && op_char(sql[i]))
        ++i;
      tokens.push_back({TokenKind::op, start, i, std::string(sql.substr(start, i - start))});
      continue;
    }
    ++i;
    tokens.push_back({TokenKind::punct, start, i, std::string(1, c)});
  }
  return tokens;
}

const std::set<std::string>& simple_type_names()
{
  static const std::set<std::string> names{
      "date",   "time",    "timestamp", "timestamptz", "timetz", "interval", "numeric", "decimal",
      "int",    "int2",    "int4",      "int8",        "integer", "bigint",  "smallint", "real",
      "float",  "float4",  "float8",    "text",        "varchar", "char",    "bpchar",  "bool",
      "boolean", "json",   "jsonb",     "uuid",        "inet",    "cidr",    "macaddr", "bytea",
      "money",  "xml",     "bit",       "varbit",      "oid",     "name",    "tsquery", "tsvector"};
  return names;
}

const std::set<std::string>& interval_fields()
{
  static const std::set<std::string> fields{"year", "month", "day", "hour", "minute", "second"};
  return fields;
}

struct Replacement {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

bool is_word(const std::vector<Token>& tokens, std::size_t index, std::string_view text)
{
  return index < tokens.size() && tokens[index].kind == TokenKind::word && tokens[index].text == text;
}

//! The type written before the placeholder at `param`, as tokens [first, param): "date",
//! "timestamp with time zone", "double precision", "character varying". first == param: none.
std::size_t type_start(const std::vector<Token>& tokens, std::size_t param)
{
  if (param == 0 || tokens[param - 1].kind != TokenKind::word)
    return param;
  const std::size_t last = param - 1;
  const std::string& word = tokens[last].text;
  if (word == "zone" && last >= 3 && is_word(tokens, last - 1, "time") &&
      (is_word(tokens, last - 2, "with") || is_word(tokens, last - 2, "without")) &&
      (is_word(tokens, last - 3, "timestamp") || is_word(tokens, last - 3, "time")))
    return last - 3;
  if (word == "precision" && last >= 1 && is_word(tokens, last - 1, "double"))
    return last - 1;
  if (word == "varying" && last >= 1 && (is_word(tokens, last - 1, "character") || is_word(tokens, last - 1, "bit")))
    return last - 1;
  if (simple_type_names().count(word) == 0)
    return param;
  // `x AT TIME ZONE $1`-like constructs never reach here ("zone" alone is no type); a type
  // name right after AS (a cast) or a column name can't be followed by a placeholder.
  return last;
}

}  // namespace

PlannableText make_plannable(std::string_view normalized)
{
  const auto tokens = tokenize(normalized);
  std::vector<Replacement> replacements;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::param)
      continue;
    const std::size_t first = type_start(tokens, i);
    if (first == i)
      continue;
    std::string type;
    for (std::size_t k = first; k < i; ++k)
      type += (k == first ? "" : " ") + tokens[k].text;
    const std::string param = "$" + tokens[i].text;
    if (type == "interval" && i + 1 < tokens.size() && tokens[i + 1].kind == TokenKind::word &&
        interval_fields().count(tokens[i + 1].text)) {
      // interval $2 day [to second] [(p)]: the field qualifies the string, so keep it in the text.
      std::size_t last = i + 1;
      std::string field = tokens[last].text;
      if (is_word(tokens, last + 1, "to") && last + 2 < tokens.size() &&
          interval_fields().count(tokens[last + 2].text)) {
        field += " to " + tokens[last + 2].text;
        last += 2;
      }
      std::size_t end = tokens[last].end;
      if (last + 3 < tokens.size() && tokens[last + 1].text == "(" && tokens[last + 3].text == ")")
        end = tokens[last + 3].end;
      const std::string text = "(" + param + "::text || ' " + field + "')::interval";
      replacements.push_back({tokens[first].begin, end, text});
      i = last;
      continue;
    }
    replacements.push_back({tokens[first].begin, tokens[i].end, param + "::" + type});
  }

  PlannableText out;
  std::size_t at = 0;
  for (const auto& replacement : replacements) {
    out.sql.append(normalized.substr(at, replacement.begin - at));
    out.sql += replacement.text;
    out.changes.push_back(std::string(normalized.substr(replacement.begin, replacement.end - replacement.begin)) +
                          " -> " + replacement.text);
    at = replacement.end;
  }
  out.sql.append(normalized.substr(at));
  return out;
}

std::vector<int> literal_only_parameters(std::string_view sql)
{
  static const std::set<std::string> key_ops{"->", "->>", "#>", "#>>", "?", "~", "~*", "~~", "~~*", "!~", "!~*", "!~~", "!~~*"};
  const auto tokens = tokenize(sql);
  std::set<int> found;
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::param)
      continue;
    const auto& before = tokens[i - 1];
    const bool pattern_word = before.kind == TokenKind::word &&
                              (before.text == "like" || before.text == "ilike" ||
                               (before.text == "to" && i >= 2 && is_word(tokens, i - 2, "similar")));
    if ((before.kind == TokenKind::op && key_ops.count(before.text)) || pattern_word)
      found.insert(std::stoi(tokens[i].text));
  }
  return {found.begin(), found.end()};
}

std::vector<int> parameters_in(std::string_view sql)
{
  std::set<int> found;
  for (const auto& token : tokenize(sql))
    if (token.kind == TokenKind::param)
      found.insert(std::stoi(token.text));
  return {found.begin(), found.end()};
}

std::string bind_parameters(std::string_view sql, const std::map<int, std::string>& literals)
{
  std::string out;
  std::size_t at = 0;
  for (const auto& token : tokenize(sql)) {
    if (token.kind != TokenKind::param)
      continue;
    const auto it = literals.find(std::stoi(token.text));
    if (it == literals.end())
      continue;
    out.append(sql.substr(at, token.begin - at));
    out += it->second;
    at = token.end;
  }
  out.append(sql.substr(at));
  return out;
}

std::string quote_literal(std::string_view value)
{
  std::string out = "'";
  for (char c : value) {
    out += c;
    if (c == '\'')
      out += '\'';
  }
  return out + "'";
}

}  // namespace parser
