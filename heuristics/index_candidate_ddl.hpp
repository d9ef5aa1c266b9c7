#pragma once
// SQL text helpers for index candidates: literals, name fragments, and the normalisation that
// lets a candidate's expression or predicate be compared with what pg_get_indexdef() prints.

#include <string>
#include <string_view>

namespace heuristics {

//! 'text' with single quotes doubled (standard_conforming_strings on, as since 9.1).
std::string sql_literal(std::string_view value);

//! Lowercase [a-z0-9_] fragment for an index name: other characters become '_', runs of '_'
//! collapse, leading/trailing '_' go ("lower(email)" -> "lower_email").
std::string name_fragment(std::string_view text);

//! Text for comparing SQL expressions: outside quoted literals, casts (::type) and their type
//! names, parentheses and whitespace removed and letters lowercased; quoted literals kept.
//! "(lower((email)::text))" and "lower(email)" normalise alike.
std::string normalize_sql(std::string_view text);

}  // namespace heuristics
