#pragma once
// A small SQL lexer for splicing rewrites: where each token starts and ends, and how deep in
// parentheses it sits. It never fails: what it does not know becomes a one-character token.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heuristics::rewrites {

enum class TokenKind { word, quoted_identifier, string, number, param, punct, op };

struct Token {
  std::size_t begin = 0;  //!< byte offset in the statement text
  std::size_t end = 0;    //!< one past the last byte
  int depth = 0;          //!< parentheses around it; a '(' or ')' counts at the outer depth
  TokenKind kind = TokenKind::punct;
  std::string upper;      //!< words upper-cased ("SELECT"); other tokens as written
};

//! Tokens of the text, comments and blanks skipped. Handles '…' (with '' and E'\''),
//! $tag$…$tag$, "…" identifiers, $n parameters, numbers and operators.
std::vector<Token> lex(std::string_view sql);

//! Index of the token that starts at byte offset `begin`, or nullopt.
std::optional<std::size_t> token_starting_at(const std::vector<Token>& tokens, std::size_t begin);

//! Index of the ')' matching the '(' at `open`, or nullopt (unbalanced or not a '(').
std::optional<std::size_t> closing_paren(const std::vector<Token>& tokens, std::size_t open);

//! Index of the first token at `depth` whose upper text is `word`, searching [from, to);
//! nullopt when absent.
std::optional<std::size_t> find_word(const std::vector<Token>& tokens, std::string_view word, int depth,
                                     std::size_t from, std::size_t to);

}  // namespace heuristics::rewrites
