#pragma once
// libpg_query's statement fingerprint, computed from the JSON parse tree we already read, so
// parser::analyse parses once instead of twice (pg_query_fingerprint re-parses the text).
//
// Matches pg_query_fingerprint of libpg_query 15-4.0.0 (fingerprint version 3) bit for bit:
// XXH3-64 seeded with 3 over the node/field tokens of the raw parse tree, fields in
// alphabetical order, constants, parameters, aliases, locations and a few names left out,
// some lists ordered by their items' hashes. The JSON carries everything the fingerprint
// reads for the node types listed in fingerprint_tree.cpp; any other construct is reported
// unsupported and the caller asks libpg_query instead: a wrong fingerprint would silently
// split or merge query groups, a slow one only costs time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parser/json_tree.hpp"

namespace parser::detail {

//! Fingerprint of a whole parse tree (read from the {"version":…, "stmts":[…]} pg_query_parse
//! prints), equal to pg_query_fingerprint on the same text; std::nullopt when the tree holds
//! a node type or field this does not cover, or nests too deep (libpg_query cuts off at 100
//! levels; we never emulate the cut-off). `sql` is the text that was parsed: the JSON drops
//! the -1 of `int[]` array bounds, which the text tells apart from `int[0]`.
std::optional<std::uint64_t> fingerprint_tree(const json::Tree& tree, std::string_view sql);

//! The token stream fingerprint_tree hashes, each token followed by '\n' (for tests and
//! debugging: compare it with the tokens libpg_query prints when asked). std::nullopt as
//! fingerprint_tree.
std::optional<std::string> fingerprint_tokens(const json::Tree& tree, std::string_view sql);

//! 16 lowercase hex digits, as pg_query_fingerprint prints the value.
std::string fingerprint_hex(std::uint64_t value);

}  // namespace parser::detail
