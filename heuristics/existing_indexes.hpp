#pragma once
// What to do about the indexes a table already has: pure decisions on catalog facts.
//  - INVALID (a failed CREATE INDEX CONCURRENTLY): drop it and build it again;
//  - a leading-column duplicate of another index on the same table: drop it;
//  - no scan since the statistics were reset, backing no constraint: a drop candidate, with
//    low confidence until the statistics window is long enough.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/catalog.hpp"

namespace heuristics {

enum class ExistingIndexIssue { invalid, duplicate, unused };

const char* to_string(ExistingIndexIssue issue);

struct ExistingIndexAdvice {
  ExistingIndexIssue issue = ExistingIndexIssue::unused;
  std::string schema;
  std::string table;
  std::string index;
  std::string statement;  //!< DROP INDEX CONCURRENTLY …; (+ the CREATE INDEX CONCURRENTLY again)
  std::string reason;     //!< one paragraph with the numbers
  std::int64_t bytes = 0;
  std::optional<double> rows_written;  //!< inserted + updated + deleted since the stats reset
  double confidence = 0;
  std::string served_by;  //!< duplicate: the index that keeps serving its queries
};

struct ExistingIndexSettings {
  //! An unused index is a confident drop candidate only after this many seconds of statistics.
  double min_window_seconds = 7 * 86400.0;
};

//! Advice for every index of the catalog's tables. `stats_window_seconds`: how long the
//! statistics have been collecting (since pg_stat_database.stats_reset); nullopt when unknown.
//! An index gets at most one piece of advice (invalid, else duplicate, else unused).
std::vector<ExistingIndexAdvice> review_existing_indexes(const model::Catalog& catalog,
                                                         std::optional<double> stats_window_seconds,
                                                         const ExistingIndexSettings& settings = {});

//! pg_get_indexdef() text with CONCURRENTLY added: "CREATE [UNIQUE] INDEX CONCURRENTLY …".
std::string concurrent_definition(const std::string& definition);

//! `narrow`'s keys (columns or expressions, opclasses, directions) are the leading keys of
//! `wide`, both valid btrees on the same table with the same predicate, and narrow's INCLUDE
//! columns are among wide's keys or INCLUDE columns.
bool is_leading_duplicate(const model::IndexInfo& narrow, const model::IndexInfo& wide);

}  // namespace heuristics
