#include "heuristics/rules/rule_support.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "heuristics/number_format.hpp"
#include "heuristics/shape_columns.hpp"

namespace heuristics::rules {

namespace {

std::string shape_schema(const model::PlanNode& scan, const RuleContext& context)
{
  if (!scan.schema.empty() || context.shape == nullptr)
    return scan.schema;
  if (auto table = table_for_relation(*context.shape, scan.relation_name, scan.alias))
    return context.shape->tables[*table].schema;
  return {};
}

bool word_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

bool is_keyword(std::string word)
{
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
  static const char* const keywords[] = {"and",  "or",    "not",     "is",   "null",    "true",    "false", "any",
                                         "all",  "some",  "like",    "ilike", "in",     "between", "similar", "to",
                                         "case", "when",  "then",    "else", "end",     "distinct", "from", "array",
                                         "row",  "escape", "collate", "at",  "time",    "zone",    "interval", "unknown", "hashed", "subplan", "initplan"};
  return std::any_of(std::begin(keywords), std::end(keywords), [&](const char* k) { return word == k; });
}

//! Skips a type name after "::": words, spaces between words ("timestamp with time zone"),
//! a typmod "(40)" and array brackets.
std::size_t skip_type(const std::string& text, std::size_t pos)
{
  while (pos < text.size()) {
    if (word_char(text[pos]) || text[pos] == '"' || text[pos] == '.' || text[pos] == '[' || text[pos] == ']') {
      ++pos;
      continue;
    }
    if (text[pos] == ' ' && pos + 1 < text.size() && std::isalpha(static_cast<unsigned char>(text[pos + 1])) != 0) {
      // "timestamp with time zone", not "x::text AND y": a keyword ends the type.
      std::size_t end = pos + 1;
      while (end < text.size() && word_char(text[end]))
        ++end;
      const std::string word = text.substr(pos + 1, end - pos - 1);
      if (word == "with" || word == "without" || word == "time" || word == "zone" || word == "varying" ||
          word == "precision")
      {
        pos = end;
        continue;
      }
      break;
    }
    if (text[pos] == '(' ) {
      const auto close = text.find(')', pos);
      const bool typmod = close != std::string::npos &&
                          std::all_of(text.begin() + static_cast<long>(pos) + 1, text.begin() + static_cast<long>(close),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == ','; });
      if (!typmod)
        break;
      pos = close + 1;
      continue;
    }
    break;
  }
  return pos;
}

}  // namespace

const model::TableInfo* scanned_table(const model::PlanNode& scan, const RuleContext& context)
{
  if (context.catalog == nullptr || scan.relation_name.empty())
    return nullptr;
  return context.catalog->find(shape_schema(scan, context), scan.relation_name);
}

std::string scanned_relation(const model::PlanNode& scan, const RuleContext& context)
{
  if (const model::TableInfo* table = scanned_table(scan, context))
    return relation_text(table->schema, table->name);
  return relation_text(shape_schema(scan, context), scan.relation_name);
}

std::string count_text(double value)
{
  return format_number(std::round(value));
}

std::string kb_text(double kb)
{
  return format_bytes(static_cast<std::int64_t>(kb * 1024));
}

std::string memory_setting(double kb)
{
  const double mb = std::max(1.0, std::ceil(kb / 1024));
  return std::to_string(static_cast<long long>(mb)) + "MB";
}

void add_note(const RuleContext& context, const std::string& rule_id, const std::string& message)
{
  if (context.notes != nullptr)
    context.notes->push_back(rule_id + ": " + message);
}

bool require_analyze(const RuleContext& context, const std::string& rule_id)
{
  if (context.plan != nullptr && context.plan->analyzed)
    return true;
  add_note(context, rule_id, "skipped: it needs actual rows and times (EXPLAIN ANALYZE), the plan has estimates only");
  return false;
}

void note_missing_field(const RuleContext& context, const std::string& rule_id, const model::PlanNode& node,
                        const std::string& field)
{
  add_note(context, rule_id,
           "skipped " + node.label() + ": the plan has no \"" + field + "\" (another PostgreSQL version?)");
}

std::vector<ConditionColumn> condition_columns(const std::string& condition)
{
  std::vector<ConditionColumn> out;
  const std::string& text = condition;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '\'') {  // string literal, '' inside
      ++pos;
      while (pos < text.size()) {
        if (text[pos] == '\'' && pos + 1 < text.size() && text[pos + 1] == '\'')
          pos += 2;
        else if (text[pos++] == '\'')
          break;
      }
      continue;
    }
    if (c == ':' && pos + 1 < text.size() && text[pos + 1] == ':') {
      pos = skip_type(text, pos + 2);
      continue;
    }
    if (c == '$' || std::isdigit(static_cast<unsigned char>(c)) != 0) {  // $1, 42, 4.2
      ++pos;
      while (pos < text.size() && (word_char(text[pos]) || text[pos] == '.'))
        ++pos;
      continue;
    }
    if (!(std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '"')) {
      ++pos;
      continue;
    }
    // An identifier chain: a, o.a, "Odd"."Col".
    std::vector<std::string> parts;
    while (pos < text.size()) {
      std::string part;
      if (text[pos] == '"') {
        ++pos;
        while (pos < text.size()) {
          if (text[pos] == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
            part += '"';
            pos += 2;
          } else if (text[pos] == '"') {
            ++pos;
            break;
          } else {
            part += text[pos++];
          }
        }
      } else {
        while (pos < text.size() && word_char(text[pos]))
          part += text[pos++];
      }
      parts.push_back(part);
      if (pos + 1 < text.size() && text[pos] == '.' && (word_char(text[pos + 1]) || text[pos + 1] == '"'))
        ++pos;
      else
        break;
    }
    std::size_t after = pos;
    while (after < text.size() && text[after] == ' ')
      ++after;
    const bool call = after < text.size() && text[after] == '(';
    if (call || parts.empty() || parts.back().empty() || (parts.size() == 1 && is_keyword(parts.back())))
      continue;
    ConditionColumn column;
    column.name = parts.back();
    column.qualifier = parts.size() > 1 ? parts[parts.size() - 2] : std::string();
    column.equality = after + 1 < text.size() && text[after] == '=' && text[after + 1] == ' ';
    const auto same = std::find_if(out.begin(), out.end(), [&](const ConditionColumn& seen) {
      return seen.name == column.name && seen.qualifier == column.qualifier;
    });
    if (same == out.end())
      out.push_back(std::move(column));
    else
      same->equality = same->equality || column.equality;
  }
  return out;
}

std::string join_list(const std::vector<std::string>& items)
{
  std::string text;
  for (const auto& item : items)
    text += (text.empty() ? "" : ", ") + item;
  return text;
}

double own_temp_written_blocks(const model::PlanNode& node)
{
  double blocks = static_cast<double>(node.buffers.temp_written);
  for (const auto& child : node.children)
    blocks -= static_cast<double>(child.buffers.temp_written);
  return std::max(0.0, blocks);
}

}  // namespace heuristics::rules
