#pragma once
// pg_stat_statements' normalised text ($n in place of constants) made plannable: typed
// literals such as `date $1` or `interval $2 day` do not parse once their string became a
// placeholder, and some placeholders stand where only the real constant says what index fits
// (`payload->>$2`, `LIKE $1`). Text-level work: the input may not parse at all.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace parser {

struct PlannableText {
  std::string sql;                   //!< the rewritten statement
  std::vector<std::string> changes;  //!< one line per rewrite: "date $1 -> $1::date"
};

//! Rewrites `type $n` into `$n::type` (date, time[stamp] [with[out] time zone], timestamptz,
//! interval, numeric, int…, text, bool, json[b], uuid, inet…) and `interval $n <field>`
//! (`interval $2 day`, `interval $2 day to second`) into `($n::text || ' day')::interval`.
//! Strings, quoted identifiers, comments and dollar quotes are left alone. Text that has
//! nothing to rewrite comes back unchanged with no changes listed.
PlannableText make_plannable(std::string_view normalized);

//! The $n placeholders whose real value decides the index kind or the indexed expression:
//! a JSON key or path (`->`, `->>`, `#>`, `#>>`, `?`) or a pattern (LIKE, ILIKE, SIMILAR TO,
//! `~`, `~*`, `~~`). Sorted, unique.
std::vector<int> literal_only_parameters(std::string_view sql);

//! Every $n number that occurs outside strings and comments. Sorted, unique.
std::vector<int> parameters_in(std::string_view sql);

//! `sql` with each $n in `literals` replaced by its text (already a valid SQL literal, e.g.
//! "'pending'" or "42"); other placeholders are kept.
std::string bind_parameters(std::string_view sql, const std::map<int, std::string>& literals);

//! `value` as a SQL string literal: single quotes doubled, E'' never needed.
std::string quote_literal(std::string_view value);

}  // namespace parser
