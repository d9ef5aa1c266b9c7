#include "heuristics/index_candidate_ddl.hpp"

#include <algorithm>
#include <cctype>

#include "heuristics/identifiers.hpp"
#include "heuristics/index_candidates.hpp"

namespace heuristics {

namespace {

constexpr std::size_t max_identifier_bytes = 63;  // NAMEDATALEN - 1

//! Cuts to at most max bytes without splitting a UTF-8 sequence.
std::string truncate_utf8(std::string text, std::size_t max)
{
  if (text.size() <= max)
    return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  text.resize(cut);
  return text;
}

bool is_name_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '"';
}

//! The end of the type name that starts at `i` (after "::"): a possibly qualified name, the
//! multi-word tails PostgreSQL prints (character varying, double precision, timestamp with
//! time zone), a (n[,m]) modifier and [] suffixes.
std::size_t skip_type(std::string_view text, std::size_t i)
{
  while (i < text.size() && is_name_char(text[i]))
    ++i;
  for (std::string_view tail : {" varying", " precision", " with time zone", " without time zone"}) {
    if (text.substr(i, tail.size()) == tail) {
      i += tail.size();
      break;
    }
  }
  if (i < text.size() && text[i] == '(') {
    std::size_t j = i + 1;
    while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == ','))
      ++j;
    if (j < text.size() && text[j] == ')')
      i = j + 1;
  }
  while (text.substr(i, 2) == "[]")
    i += 2;
  return i;
}

std::string kind_suffix(const IndexCandidate& c)
{
  switch (c.kind) {
  case CandidateKind::covering:
    return "_incl";
  case CandidateKind::partial:
    return std::string("_") + name_fragment(c.predicate);
  case CandidateKind::pattern:
    return "_pattern";
  case CandidateKind::trigram:
    return "_trgm";
  case CandidateKind::jsonb:
  case CandidateKind::array:
    return "_gin";
  case CandidateKind::brin:
    return "_brin";
  default:
    break;
  }
  // A candidate built by hand: name it after what makes it differ from a plain btree.
  if (!c.predicate.empty())
    return std::string("_") + name_fragment(c.predicate);
  if (!c.include_columns.empty())
    return "_incl";
  if (c.access_method != "btree")
    return std::string("_") + c.access_method;
  return {};
}

std::string key_text(const IndexCandidate& c, std::size_t i)
{
  std::string text = c.key_is_expression(i) ? std::string("(") + c.columns[i] + ")" : quote_ident(c.columns[i]);
  const std::string opclass = c.key_opclass(i);
  if (!opclass.empty())
    text += std::string(" ") + quote_ident(opclass);
  if (i < c.descending.size() && c.descending[i])
    text += " DESC";
  return text;
}

}  // namespace

std::string sql_literal(std::string_view value)
{
  std::string out = "'";
  for (char c : value) {
    out += c;
    if (c == '\'')
      out += '\'';
  }
  return out + "'";
}

std::string name_fragment(std::string_view text)
{
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const char lower = static_cast<char>(std::tolower(u));
    const bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || u >= 0x80;
    if (keep)
      out += lower;
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_')
    out.pop_back();
  return out;
}

std::string normalize_sql(std::string_view text)
{
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'') {
      // A literal, kept verbatim up to its closing quote ('' is an escaped quote).
      out += c;
      for (++i; i < text.size(); ++i) {
        out += text[i];
        if (text[i] == '\'') {
          if (i + 1 < text.size() && text[i + 1] == '\'') {
            out += text[++i];
            continue;
          }
          break;
        }
      }
      continue;
    }
    if (c == ':' && i + 1 < text.size() && text[i + 1] == ':') {
      i = skip_type(text, i + 2) - 1;
      continue;
    }
    if (c == '(' || c == ')' || std::isspace(static_cast<unsigned char>(c)) || c == '"')
      continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

const char* to_string(CandidateKind kind)
{
  switch (kind) {
  case CandidateKind::btree:
    return "btree";
  case CandidateKind::covering:
    return "covering";
  case CandidateKind::partial:
    return "partial";
  case CandidateKind::expression:
    return "expression";
  case CandidateKind::pattern:
    return "pattern";
  case CandidateKind::trigram:
    return "trigram";
  case CandidateKind::jsonb:
    return "jsonb";
  case CandidateKind::array:
    return "array";
  case CandidateKind::brin:
    return "brin";
  case CandidateKind::join_key:
    return "join_key";
  }
  return "btree";
}

bool IndexCandidate::key_is_expression(std::size_t i) const
{
  return i < is_expression.size() && is_expression[i];
}

std::string IndexCandidate::key_opclass(std::size_t i) const
{
  return i < opclasses.size() ? opclasses[i] : std::string();
}

bool IndexCandidate::hypopg_supported() const
{
  return access_method == "btree" || access_method == "brin" || access_method == "hash";
}

std::string IndexCandidate::index_name() const
{
  std::string name = table;
  for (std::size_t i = 0; i < columns.size(); ++i)
    name += std::string("_") + (key_is_expression(i) ? name_fragment(columns[i]) : columns[i]);
  name += kind_suffix(*this);
  return truncate_utf8(name, max_identifier_bytes - 4) + "_idx";
}

std::string IndexCandidate::hypothetical_ddl() const
{
  std::string text = std::string("CREATE INDEX ON ") + qualified_name(schema, table);
  if (access_method != "btree")
    text += std::string(" USING ") + access_method;
  text += " (";
  for (std::size_t i = 0; i < columns.size(); ++i)
    text += (i == 0 ? "" : ", ") + key_text(*this, i);
  text += ")";
  if (!include_columns.empty()) {
    text += " INCLUDE (";
    for (std::size_t i = 0; i < include_columns.size(); ++i)
      text += (i == 0 ? "" : ", ") + quote_ident(include_columns[i]);
    text += ")";
  }
  if (!predicate.empty())
    text += std::string(" WHERE ") + predicate;
  return text;
}

std::string IndexCandidate::ddl() const
{
  const std::string prefix = "CREATE INDEX ON ";
  return std::string("CREATE INDEX CONCURRENTLY ") + quote_ident(index_name()) + " ON " + hypothetical_ddl().substr(prefix.size());
}

bool IndexCandidate::operator==(const IndexCandidate& other) const
{
  if (schema != other.schema || table != other.table || columns != other.columns ||
      access_method != other.access_method || include_columns != other.include_columns ||
      normalize_sql(predicate) != normalize_sql(other.predicate))
    return false;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const bool desc = i < descending.size() && descending[i];
    const bool other_desc = i < other.descending.size() && other.descending[i];
    if (desc != other_desc || key_is_expression(i) != other.key_is_expression(i) ||
        key_opclass(i) != other.key_opclass(i))
      return false;
  }
  return true;
}

}  // namespace heuristics
