#include "heuristics/index_candidate_expression.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "heuristics/index_candidate_kinds.hpp"
#include "heuristics/shape_columns.hpp"

namespace heuristics {

namespace {

bool is_ident_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool is_operator_char(char c)
{
  return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos;
}

//! Grammar constructs that look like calls but are not pg_proc functions.
bool is_construct(const std::string& name)
{
  return name == "coalesce" || name == "greatest" || name == "least" || name == "nullif" || name == "array";
}

void add_once(std::vector<std::string>& out, std::string name)
{
  if (std::find(out.begin(), out.end(), name) == out.end())
    out.push_back(std::move(name));
}

bool is_operator_name(const std::string& name)
{
  return !name.empty() && is_operator_char(name[0]);
}

std::string describe(const std::string& name)
{
  return is_operator_name(name) ? std::string("operator ") + name : name;
}

//! The first overload that is not IMMUTABLE, as the reason.
std::optional<std::string> first_mutable(const std::vector<const model::FunctionInfo*>& overloads)
{
  for (const model::FunctionInfo* f : overloads)
    if (f->volatility != model::Volatility::immutable)
      return (is_operator_name(f->name) ? "operator " : "") + f->signature() + " is " +
             model::to_string(f->volatility) + ", not IMMUTABLE";
  return std::nullopt;
}

}  // namespace

std::vector<std::string> expression_functions(const std::string& expression)
{
  std::vector<std::string> out;
  const std::string_view text = expression;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\'') {
      for (++i; i < text.size(); ++i)
        if (text[i] == '\'' && !(i + 1 < text.size() && text[i + 1] == '\'' && ++i))
          break;
      ++i;
      continue;
    }
    if (c == ':' && i + 1 < text.size() && text[i + 1] == ':') {
      // A cast's type name, possibly with a modifier: numeric(10,2) is not a call.
      i += 2;
      while (i < text.size() && (is_ident_char(text[i]) || text[i] == ' '))
        ++i;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = i;
      while (end < text.size() && (is_ident_char(text[end]) || text[end] == '.'))
        ++end;
      std::string name(text.substr(i, end - i));
      std::size_t next = end;
      while (next < text.size() && text[next] == ' ')
        ++next;
      if (next < text.size() && text[next] == '(') {
        const auto dot = name.rfind('.');
        if (dot != std::string::npos)
          name = name.substr(dot + 1);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        if (!is_construct(name))
          add_once(out, name);
      }
      i = end;
      continue;
    }
    if (is_operator_char(c)) {
      std::size_t end = i;
      while (end < text.size() && is_operator_char(text[end]))
        ++end;
      add_once(out, std::string(text.substr(i, end - i)));
      i = end;
      continue;
    }
    ++i;
  }
  return out;
}

std::vector<std::string> functions_to_check(const parser::QueryShape& shape)
{
  std::vector<std::string> out;
  for (const parser::Predicate& predicate : shape.predicates) {
    if (predicate.column.function.empty())
      continue;
    for (auto& name : expression_functions(predicate.column.expression))
      add_once(out, std::move(name));
  }
  return out;
}

std::optional<std::string> expression_rejection(const std::string& expression, const std::string& outer,
                                                const std::string& column_type,
                                                const model::ServerFeatures& features)
{
  for (const std::string& name : expression_functions(expression)) {
    const auto overloads = features.overloads(name);
    if (overloads.empty())
      return describe(name) + " is not in pg_proc: its volatility is unknown";
    if (name != outer) {
      if (auto reason = first_mutable(overloads))
        return reason;
      continue;
    }
    // The call on the column: the overloads taking the column's type are the ones it resolves to.
    std::vector<const model::FunctionInfo*> taking;
    for (const model::FunctionInfo* f : overloads)
      if (std::find(f->argument_types.begin(), f->argument_types.end(), column_type) != f->argument_types.end())
        taking.push_back(f);
    if (auto reason = first_mutable(taking.empty() ? overloads : taking))
      return reason;
  }
  return std::nullopt;
}

namespace detail {

void expression_candidates(const TableContext& ctx, CandidateSet& out)
{
  for (const parser::Predicate* predicate : ctx.predicates()) {
    const parser::ColumnUse& use = predicate->column;
    if (use.function.empty() || (predicate->kind != parser::PredicateKind::equality &&
                                 predicate->kind != parser::PredicateKind::range))
      continue;
    IndexCandidate candidate = make_candidate(ctx.table, CandidateKind::expression);
    for (const auto& equality : ctx.equalities)
      push_column(candidate, equality, false, std::string("equality on ") + equality);
    const std::string what = predicate->kind == parser::PredicateKind::equality ? "equality on " : "range on ";
    push_column(candidate, use.expression, false, what + use.expression);
    candidate.is_expression.assign(candidate.columns.size(), false);
    candidate.is_expression.back() = true;

    std::optional<std::string> reason;
    const model::ColumnStats* column = ctx.table.column(use.column);
    std::string type = column ? column->type : std::string();
    type = type.substr(0, type.find('('));
    if (use.expression.find('$') != std::string::npos || use.expression.find('?') != std::string::npos)
      reason = use.expression + " holds a parameter: an expression index needs the real value";
    else if (use.function == "cast")
      reason = use.expression + " is a cast: pgadvisor does not check a cast's volatility";
    else if (!ctx.catalog.features)
      reason = std::string("the volatility of ") + use.function + " was not checked (no server catalog)";
    else
      reason = expression_rejection(use.expression, use.function, type, *ctx.catalog.features);
    if (reason) {
      out.rejected.emplace_back(std::move(candidate), std::string("expression index on ") + use.expression + ": " + *reason);
      continue;
    }
    candidate.reasons.back() += " (every function in it is IMMUTABLE)";
    add_candidate(out.candidates, std::move(candidate));
  }
}

}  // namespace detail

}  // namespace heuristics
