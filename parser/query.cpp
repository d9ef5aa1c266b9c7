#include "parser/query.hpp"

#include <string>

#include "parser/fingerprint_tree.hpp"
#include "parser/json_tree.hpp"
#include "parser/pg_query_handle.hpp"
#include "parser/shape_extractor.hpp"

namespace parser {

namespace {

std::string_view trim(std::string_view s)
{
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && (blank(s.back()) || s.back() == ';'))
    s.remove_suffix(1);
  return s;
}

//! `sql` is the text the tree was parsed from: rewrite rules splice it by the tree's locations.
QueryShape shape_of_tree(const json::Tree& tree, std::string_view sql)
{
  QueryShape shape;
  shape.sql = std::string(sql);
  auto first = tree.root()["stmts"].at(0);
  if (first) {
    detail::ShapeExtractor extractor(shape);
    extractor.statement(first["stmt"]);
  }
  return shape;
}

Fingerprint to_fingerprint(const PgQueryFingerprintResult& r)
{
  return Fingerprint{r.fingerprint, r.fingerprint_str ? r.fingerprint_str : ""};
}

}  // namespace

model::Result<ParsedQuery> parse(std::string_view sql)
{
  if (detail::is_blank_sql(sql))
    return detail::empty_query_error();
  std::string text(sql);
  detail::ParseResult result(pg_query_parse(text.c_str()));
  if (result->error)
    return detail::to_error(*result->error);
  ParsedQuery parsed;
  parsed.tree = nlohmann::json::parse(result->parse_tree);
  parsed.statement_count = parsed.tree["stmts"].size();
  if (parsed.statement_count == 0)
    return detail::empty_query_error();
  parsed.sql = std::move(text);
  return parsed;
}

model::Result<Fingerprint> fingerprint(std::string_view sql)
{
  if (detail::is_blank_sql(sql))
    return detail::empty_query_error();
  std::string text(sql);
  detail::FingerprintResult result(pg_query_fingerprint(text.c_str()));
  if (result->error)
    return detail::to_error(*result->error);
  return to_fingerprint(result.get());
}

model::Result<std::string> normalize(std::string_view sql)
{
  if (detail::is_blank_sql(sql))
    return detail::empty_query_error();
  std::string text(sql);
  detail::NormalizeResult result(pg_query_normalize(text.c_str()));
  if (result->error)
    return detail::to_error(*result->error);
  return std::string(result->normalized_query);
}

model::Result<std::vector<std::string>> split_statements(std::string_view sql)
{
  std::string text(sql);
  detail::SplitResult result(pg_query_split_with_parser(text.c_str()));
  if (result->error)
    return detail::to_error(*result->error);
  std::vector<std::string> out;
  for (int i = 0; i < result->n_stmts; ++i) {
    const auto* stmt = result->stmts[i];
    auto piece = std::string_view(text).substr(static_cast<std::size_t>(stmt->stmt_location),
                                               static_cast<std::size_t>(stmt->stmt_len));
    if (stmt->stmt_len == 0)  // the last statement runs to the end of the text
      piece = std::string_view(text).substr(static_cast<std::size_t>(stmt->stmt_location));
    piece = trim(piece);
    if (!piece.empty() && !detail::is_blank_sql(piece))
      out.emplace_back(piece);
  }
  return out;
}

QueryShape extract_shape(const ParsedQuery& parsed)
{
  // One extractor for both paths: the DOM is printed back and read as a compact tree.
  auto text = parsed.tree.dump();
  auto tree = json::Tree::parse(text);
  if (!tree)
    return {};
  return shape_of_tree(*tree, parsed.sql);
}

namespace {

//! Parses `sql` once and hands its text and compact tree to `use` while libpg_query's result,
//! which the tree's strings point into, is still alive. Blank input, invalid SQL and text
//! without a statement are errors.
template <typename T, typename Use>
model::Result<T> with_tree(std::string_view sql, Use&& use)
{
  if (detail::is_blank_sql(sql))
    return detail::empty_query_error();
  std::string text(sql);
  detail::ParseResult parsed(pg_query_parse(text.c_str()));
  if (parsed->error)
    return detail::to_error(*parsed->error);
  auto tree = json::Tree::parse(parsed->parse_tree);
  if (!tree)
    return tree.error();
  if (tree->root()["stmts"].size() == 0)
    return detail::empty_query_error();
  return use(text, *tree);
}

}  // namespace

model::Result<QueryShape> shape_of(std::string_view sql)
{
  return with_tree<QueryShape>(sql, [](const std::string& text, const json::Tree& tree) -> model::Result<QueryShape> {
    return shape_of_tree(tree, text);
  });
}

model::Result<QueryInfo> analyse(std::string_view sql, const AnalyseOptions& options)
{
  return with_tree<QueryInfo>(sql, [&](const std::string& text, const json::Tree& tree) -> model::Result<QueryInfo> {
    QueryInfo info;
    info.statement_count = tree.root()["stmts"].size();
    info.shape = shape_of_tree(tree, text);

    // The fingerprint from the tree we already have; libpg_query (which parses again) only for
    // constructs fingerprint_tree does not cover.
    if (auto value = detail::fingerprint_tree(tree, text)) {
      info.fingerprint = Fingerprint{*value, detail::fingerprint_hex(*value)};
    } else {
      detail::FingerprintResult fp(pg_query_fingerprint(text.c_str()));
      if (fp->error)
        return detail::to_error(*fp->error);
      info.fingerprint = to_fingerprint(fp.get());
    }

    if (options.normalize) {
      detail::NormalizeResult normalized(pg_query_normalize(text.c_str()));
      if (normalized->error)
        return detail::to_error(*normalized->error);
      info.normalized = normalized->normalized_query;
    }
    return info;
  });
}

model::Result<QueryInfo> analyse(std::string_view sql)
{
  return analyse(sql, AnalyseOptions{});
}

}  // namespace parser
