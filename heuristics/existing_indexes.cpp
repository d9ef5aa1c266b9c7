#include "heuristics/existing_indexes.hpp"

#include <algorithm>
#include <regex>

#include "heuristics/identifiers.hpp"
#include "heuristics/number_format.hpp"

namespace heuristics {

namespace {

constexpr double invalid_confidence = 0.95;
constexpr double duplicate_confidence = 0.8;
constexpr double unused_confidence = 0.5;
constexpr double unused_short_window_confidence = 0.2;

template <typename T>
T at_or(const std::vector<T>& values, std::size_t i, T fallback)
{
  return i < values.size() ? values[i] : fallback;
}

std::string drop_statement(const model::IndexInfo& index)
{
  return "DROP INDEX CONCURRENTLY " + qualified_name(index.schema, index.name) + ";";
}

std::optional<double> rows_written(const model::TableInfo& table)
{
  if (!table.activity)
    return std::nullopt;
  return static_cast<double>(table.activity->n_tup_ins + table.activity->n_tup_upd + table.activity->n_tup_del);
}

std::string written_text(const std::optional<double>& rows)
{
  if (!rows)
    return "";
  return "; every one of the " + format_number(*rows) + " rows written to the table since the statistics reset also "
         "updated it";
}

std::string days(double seconds)
{
  return format_number(seconds / 86400.0) + " days";
}

//! The one of two identical indexes that goes: never one backing a constraint, else the
//! later name.
bool drop_first_of_twins(const model::IndexInfo& a, const model::IndexInfo& b)
{
  if (a.backs_constraint != b.backs_constraint)
    return !a.backs_constraint;
  if (a.unique != b.unique)
    return !a.unique;
  return a.name > b.name;
}

bool droppable(const model::IndexInfo& index)
{
  // A unique index enforces something even without a constraint; a primary key never goes.
  return index.valid && !index.backs_constraint && !index.unique && !index.primary;
}

}  // namespace

const char* to_string(ExistingIndexIssue issue)
{
  switch (issue) {
    case ExistingIndexIssue::invalid: return "invalid";
    case ExistingIndexIssue::duplicate: return "duplicate";
    case ExistingIndexIssue::unused: return "unused";
  }
  return "unused";
}

std::string concurrent_definition(const std::string& definition)
{
  static const std::regex create(R"(^(\s*CREATE\s+(UNIQUE\s+)?INDEX\s+)(CONCURRENTLY\s+)?)", std::regex::icase);
  return std::regex_replace(definition, create, "$1CONCURRENTLY ", std::regex_constants::format_first_only);
}

bool is_leading_duplicate(const model::IndexInfo& narrow, const model::IndexInfo& wide)
{
  if (!narrow.valid || !wide.valid || narrow.access_method != "btree" || wide.access_method != "btree" ||
      narrow.schema != wide.schema || narrow.table != wide.table || narrow.predicate != wide.predicate ||
      narrow.columns.empty() || narrow.columns.size() > wide.columns.size())
    return false;
  for (std::size_t i = 0; i < narrow.columns.size(); ++i) {
    if (narrow.columns[i] != wide.columns[i] ||
        at_or(narrow.is_expression, i, false) != at_or(wide.is_expression, i, false) ||
        at_or(narrow.opclasses, i, std::string()) != at_or(wide.opclasses, i, std::string()) ||
        at_or(narrow.descending, i, false) != at_or(wide.descending, i, false))
      return false;
  }
  for (const auto& column : narrow.include_columns) {
    const bool key = std::find(wide.columns.begin(), wide.columns.end(), column) != wide.columns.end();
    const bool included =
        std::find(wide.include_columns.begin(), wide.include_columns.end(), column) != wide.include_columns.end();
    if (!key && !included)
      return false;
  }
  return true;
}

std::vector<ExistingIndexAdvice> review_existing_indexes(const model::Catalog& catalog,
                                                         std::optional<double> stats_window_seconds,
                                                         const ExistingIndexSettings& settings)
{
  std::vector<ExistingIndexAdvice> out;
  for (const auto& table : catalog.tables) {
    const auto written = rows_written(table);
    for (const auto& index : table.indexes) {
      ExistingIndexAdvice advice;
      advice.schema = index.schema.empty() ? table.schema : index.schema;
      advice.table = table.name;
      advice.index = index.name;
      advice.bytes = index.size_bytes;
      advice.rows_written = written;
      const std::string name = qualified_name(advice.schema, index.name);

      if (!index.valid) {
        advice.issue = ExistingIndexIssue::invalid;
        advice.statement = drop_statement(index) + "\n" + concurrent_definition(index.definition) + ";";
        advice.reason = name + " is INVALID (a CREATE INDEX CONCURRENTLY or REINDEX that failed): the planner "
                        "never uses it, yet every write still maintains it (" + format_bytes(index.size_bytes) +
                        "). Drop it and build it again.";
        advice.confidence = invalid_confidence;
        out.push_back(std::move(advice));
        continue;
      }

      const model::IndexInfo* keeper = nullptr;
      if (droppable(index)) {
        for (const auto& other : table.indexes) {
          if (&other == &index || !is_leading_duplicate(index, other))
            continue;
          const bool twins = is_leading_duplicate(other, index);
          if (twins && !drop_first_of_twins(index, other))
            continue;
          keeper = &other;
          break;
        }
      }
      if (keeper) {
        advice.issue = ExistingIndexIssue::duplicate;
        advice.statement = drop_statement(index);
        advice.served_by = keeper->name;
        advice.reason = name + " (" + format_bytes(index.size_bytes) + ") is a leading-column duplicate of " +
                        qualified_name(advice.schema, keeper->name) + ", which serves the same lookups" +
                        written_text(written) + ".";
        advice.confidence = duplicate_confidence;
        out.push_back(std::move(advice));
        continue;
      }

      if (droppable(index) && index.idx_scan && *index.idx_scan == 0) {
        advice.issue = ExistingIndexIssue::unused;
        advice.statement = drop_statement(index);
        const bool long_enough = stats_window_seconds && *stats_window_seconds >= settings.min_window_seconds;
        advice.confidence = long_enough ? unused_confidence : unused_short_window_confidence;
        std::string window = stats_window_seconds ? "in the " + days(*stats_window_seconds) + " since the statistics reset"
                                                  : "since the statistics were last reset (when is unknown)";
        advice.reason = name + " (" + format_bytes(index.size_bytes) + ") has not been scanned " + window +
                        " and backs no constraint" + written_text(written) + ".";
        if (!long_enough)
          advice.reason += " Low confidence: the window is shorter than " + days(settings.min_window_seconds) +
                           " (or unknown), so monthly jobs or reports may still need it.";
        out.push_back(std::move(advice));
      }
    }
  }
  return out;
}

}  // namespace heuristics
