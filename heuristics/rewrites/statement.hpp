#pragma once
// The statement a rewrite rule works on: its text, its libpg_query tree and its tokens, so a
// rule can find a clause in the tree and splice new text at the tree's locations.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "heuristics/rewrites/sql_tokens.hpp"
#include "heuristics/rule.hpp"

namespace heuristics::rewrites {

struct Statement {
  std::string sql;          //!< the whole text the shape came from
  nlohmann::json stmt;      //!< the first statement: {"SelectStmt": {…}} etc.
  std::vector<Token> tokens;  //!< tokens of the first statement only
  std::size_t begin = 0;    //!< byte range of the first statement in `sql`, without ';'
  std::size_t end = 0;

  //! The SelectStmt body of a plain SELECT (no UNION/INTERSECT/EXCEPT, no VALUES); else null.
  const nlohmann::json* select() const;
  //! Text of [from, to) bytes.
  std::string text(std::size_t from, std::size_t to) const { return sql.substr(from, to - from); }
  //! Index of the token starting at a tree location, or nullopt.
  std::optional<std::size_t> token_at(const nlohmann::json& location) const;
};

//! The first statement of context.shape->sql, parsed and lexed; null when the shape carries no
//! text or the text does not parse. The last result is cached per thread, so the rules of one
//! analysis parse the text once.
std::shared_ptr<const Statement> statement_of(const RuleContext& context);

//! Calls `visit(type, body)` for every node of the subtree ({"ColumnRef": body} → "ColumnRef").
void visit_nodes(const nlohmann::json& node,
                 const std::function<void(const std::string& type, const nlohmann::json& body)>& visit);

//! Smallest / largest "location" in the subtree; nullopt when it has none.
std::optional<std::size_t> min_location(const nlohmann::json& node);
std::optional<std::size_t> max_location(const nlohmann::json& node);

//! Byte span [first, second) of an expression node: from its leftmost token to the end of its
//! rightmost one, following member access (a.b), calls' parentheses, ::casts and subscripts.
//! Parentheses around the whole expression are not included. nullopt when the tree has no
//! locations for it. With `suffixes` false only member access is followed: the span of a
//! bare column or parameter that a cast follows.
std::optional<std::pair<std::size_t, std::size_t>> expression_span(const Statement& statement,
                                                                   const nlohmann::json& node, bool suffixes = true);

struct Edit {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string replacement;
};

//! The first statement's text with the (non-overlapping) edits applied, trimmed.
std::string apply_edits(const Statement& statement, std::vector<Edit> edits);

//! Token indices of the top-level clauses of a plain SELECT, at parenthesis depth 0.
struct SelectClauses {
  std::optional<std::size_t> select, from, where, group, having, window, order, limit, offset, fetch, for_;
  std::size_t end = 0;  //!< one past the last token of the statement

  //! The first clause keyword after token `after`, else `end`.
  std::size_t next_after(std::size_t after) const;
};
SelectClauses select_clauses(const Statement& statement);

//! "alias.column" parts of a ColumnRef body: {qualifier (may be empty), column}; nullopt for
//! a star or an unexpected shape.
std::optional<std::pair<std::string, std::string>> column_ref_parts(const nlohmann::json& column_ref);

//! The shape table (index into shape.tables) a qualifier names at a select level: an alias, or
//! a table name without alias; an empty qualifier resolves only when one table is at that level.
std::optional<std::size_t> shape_table(const parser::QueryShape& shape, const std::string& qualifier, int level);

//! Splits tokens [from, to) at the top-level (depth `depth`) occurrences of `word` ("AND" or
//! "OR"); an AND that closes a BETWEEN is not a split point. Returns the byte spans of the
//! pieces; an empty piece makes the result empty.
std::vector<std::pair<std::size_t, std::size_t>> split_at_word(const Statement& statement, std::size_t from,
                                                               std::size_t to, std::string_view word, int depth);

//! Byte span of tokens [from, to): from the first token's start to the last one's end.
std::pair<std::size_t, std::size_t> token_span(const Statement& statement, std::size_t from, std::size_t to);

//! The arguments of a boolean node of kind `boolop` ("AND_EXPR"); the node itself otherwise.
std::vector<const nlohmann::json*> bool_args(const nlohmann::json& node, const std::string& boolop);

//! Qualifiers ("o" of o.id; "" for unqualified columns) of the columns in a subtree, not
//! descending into sub-selects.
std::vector<std::string> column_qualifiers(const nlohmann::json& node);

//! The text of a string constant node ('x', or 'x'::type); nullopt for anything else.
std::optional<std::string> string_constant(const nlohmann::json& node);

//! The body of `node` when it is a node of `type` ({"ColumnRef": body}); else null.
const nlohmann::json* node_of(const nlohmann::json& node, const std::string& type);

//! node[key], or a null json when node is not an object or has no such member.
const nlohmann::json& child(const nlohmann::json& node, const std::string& key);
//! node[index], or a null json when node is not an array that long.
const nlohmann::json& child(const nlohmann::json& node, std::size_t index);

//! The last name of a FuncCall body's funcname (pg_catalog.lower → "lower"), lower case.
std::string function_name(const nlohmann::json& func_call);

//! Highest $n in the statement (0 when none).
int max_param(const Statement& statement);

}  // namespace heuristics::rewrites
