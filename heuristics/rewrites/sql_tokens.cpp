#include "heuristics/rewrites/sql_tokens.hpp"

#include <cctype>

namespace heuristics::rewrites {

namespace {

bool word_start(char c)
{
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || (static_cast<unsigned char>(c) & 0x80) != 0;
}

bool word_char(char c)
{
  return word_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '$';
}

bool op_char(char c)
{
  return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos;
}

std::string upper(std::string_view text)
{
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// End of a '…' literal starting at `i`; backslash escapes only in E'…'.
std::size_t string_end(std::string_view sql, std::size_t i, bool escapes)
{
  ++i;
  while (i < sql.size()) {
    if (escapes && sql[i] == '\\') {
      i += 2;
      continue;
    }
    if (sql[i] == '\'') {
      if (i + 1 < sql.size() && sql[i + 1] == '\'') {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

// End of a $tag$…$tag$ literal at `i`, or 0 when `i` does not open one.
std::size_t dollar_end(std::string_view sql, std::size_t i)
{
  std::size_t j = i + 1;
  while (j < sql.size() && (word_start(sql[j]) || std::isdigit(static_cast<unsigned char>(sql[j])) != 0) && sql[j] != '$')
    ++j;
  if (j >= sql.size() || sql[j] != '$')
    return 0;
  auto tag = sql.substr(i, j - i + 1);
  auto close = sql.find(tag, j + 1);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

}  // namespace

std::vector<Token> lex(std::string_view sql)
{
  std::vector<Token> tokens;
  int depth = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      auto eol = sql.find('\n', i);
      i = eol == std::string_view::npos ? sql.size() : eol + 1;
      continue;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      auto close = sql.find("*/", i + 2);
      i = close == std::string_view::npos ? sql.size() : close + 2;
      continue;
    }
    Token token;
    token.begin = i;
    token.depth = depth;
    if ((c == 'E' || c == 'e') && i + 1 < sql.size() && sql[i + 1] == '\'') {
      token.kind = TokenKind::string;
      token.end = string_end(sql, i + 1, true);
    } else if (c == '\'') {
      token.kind = TokenKind::string;
      token.end = string_end(sql, i, false);
    } else if (c == '"') {
      token.kind = TokenKind::quoted_identifier;
      auto close = sql.find('"', i + 1);
      while (close != std::string_view::npos && close + 1 < sql.size() && sql[close + 1] == '"')
        close = sql.find('"', close + 2);
      token.end = close == std::string_view::npos ? sql.size() : close + 1;
    } else if (c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1])) != 0) {
      token.kind = TokenKind::param;
      token.end = i + 1;
      while (token.end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[token.end])) != 0)
        ++token.end;
    } else if (c == '$' && dollar_end(sql, i) != 0) {
      token.kind = TokenKind::string;
      token.end = dollar_end(sql, i);
    } else if (word_start(c)) {
      token.kind = TokenKind::word;
      token.end = i + 1;
      while (token.end < sql.size() && word_char(sql[token.end]))
        ++token.end;
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
               (c == '.' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1])) != 0)) {
      token.kind = TokenKind::number;
      token.end = i + 1;
      while (token.end < sql.size() &&
             (std::isalnum(static_cast<unsigned char>(sql[token.end])) != 0 || sql[token.end] == '.'))
        ++token.end;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      token.kind = TokenKind::op;
      token.end = i + 2;
    } else if (op_char(c)) {
      token.kind = TokenKind::op;
      token.end = i + 1;
      while (token.end < sql.size() && op_char(sql[token.end]))
        ++token.end;
    } else {
      token.kind = TokenKind::punct;
      token.end = i + 1;
      if (c == '(')
        ++depth;
      if (c == ')') {
        --depth;
        token.depth = depth;
      }
    }
    token.upper = token.kind == TokenKind::word ? upper(sql.substr(i, token.end - i))
                                                : std::string(sql.substr(i, token.end - i));
    i = token.end;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::optional<std::size_t> token_starting_at(const std::vector<Token>& tokens, std::size_t begin)
{
  std::size_t low = 0;
  std::size_t high = tokens.size();
  while (low < high) {
    std::size_t mid = (low + high) / 2;
    if (tokens[mid].begin < begin)
      low = mid + 1;
    else
      high = mid;
  }
  if (low < tokens.size() && tokens[low].begin == begin)
    return low;
  return std::nullopt;
}

std::optional<std::size_t> closing_paren(const std::vector<Token>& tokens, std::size_t open)
{
  if (open >= tokens.size() || tokens[open].upper != "(")
    return std::nullopt;
  for (std::size_t i = open + 1; i < tokens.size(); ++i)
    if (tokens[i].upper == ")" && tokens[i].depth == tokens[open].depth)
      return i;
  return std::nullopt;
}

std::optional<std::size_t> find_word(const std::vector<Token>& tokens, std::string_view word, int depth,
                                     std::size_t from, std::size_t to)
{
  for (std::size_t i = from; i < to && i < tokens.size(); ++i)
    if (tokens[i].depth == depth && tokens[i].kind == TokenKind::word && tokens[i].upper == word)
      return i;
  return std::nullopt;
}

}  // namespace heuristics::rewrites
