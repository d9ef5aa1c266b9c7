#include "advisor/daemon/index_match.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>

namespace advisor::daemon {

namespace {

struct IndexShape {
  std::string table;   //!< as written, unquoted, lower-case; schema kept when given
  std::string method;  //!< "btree" when not given
  std::string keys;    //!< the text after the table, spaces removed, lower-case
};

std::string squeeze(const std::string& text)
{
  std::string out;
  for (unsigned char c : text)
    if (!std::isspace(c) && c != '"')
      out += static_cast<char>(std::tolower(c));
  return out;
}

std::optional<IndexShape> shape_of(const std::string& ddl)
{
  static const std::regex pattern(R"(\bON\s+(?:ONLY\s+)?([^\s(]+)\s*(?:USING\s+(\w+)\s*)?(\(.*)$)",
                                  std::regex::icase);
  std::smatch match;
  std::string text = ddl;
  while (!text.empty() && (text.back() == ';' || std::isspace(static_cast<unsigned char>(text.back()))))
    text.pop_back();
  if (!std::regex_search(text, match, pattern))
    return std::nullopt;
  return IndexShape{squeeze(match[1]), match[2].matched ? squeeze(match[2]) : "btree", squeeze(match[3])};
}

bool same_table(const std::string& a, const std::string& b)
{
  if (a == b)
    return true;
  // One side may omit the schema (public, or search_path).
  auto bare = [](const std::string& t) { return t.substr(t.rfind('.') == std::string::npos ? 0 : t.rfind('.') + 1); };
  return (a.find('.') == std::string::npos || b.find('.') == std::string::npos) && bare(a) == bare(b);
}

}  // namespace

bool same_index(const std::string& ddl, const std::string& indexdef)
{
  const auto wanted = shape_of(ddl);
  const auto existing = shape_of(indexdef);
  return wanted && existing && same_table(wanted->table, existing->table) && wanted->method == existing->method &&
         wanted->keys == existing->keys;
}

model::Result<std::vector<std::string>> index_definitions(connectors::pg::Session& session)
{
  try {
    pqxx::nontransaction tx(session.conn());
    const auto rows = tx.exec("/* pgadvisor */ SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i"
                              " WHERE i.indisvalid");
    std::vector<std::string> out;
    for (const auto& row : rows)
      out.emplace_back(row[0].c_str());
    return out;
  } catch (const pqxx::broken_connection& e) {
    return model::make_error(model::ErrorKind::unreachable, session.scrub(e.what()));
  } catch (const std::exception& e) {
    return model::make_error(model::ErrorKind::server, session.scrub(e.what()));
  }
}

}  // namespace advisor::daemon
