#pragma once
// SQL comments as PostgreSQL's lexer sees them: "--" to the end of the line, and "/* … */"
// blocks, which nest. For the few places that scan SQL text without a full parse.

#include <cstddef>
#include <string_view>

namespace parser {

//! True when a comment starts at `i`.
bool comment_at(std::string_view sql, std::size_t i);

//! The index just past the comment that starts at `i` (comment_at(sql, i) must hold): a line
//! comment ends before its newline. `terminated`, when given, is false for a block comment that
//! runs to the end of the text.
std::size_t skip_comment(std::string_view sql, std::size_t i, bool* terminated = nullptr);

}  // namespace parser
