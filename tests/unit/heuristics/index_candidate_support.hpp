#pragma once
// A catalog with one column of every kind the index candidates care about, and helpers to get
// candidates straight from SQL.

#include <algorithm>
#include <string>
#include <vector>

#include "heuristics/index_candidates.hpp"
#include "parser/query.hpp"
#include "tests/unit/heuristics/fixture_support.hpp"

namespace candidate_support {

inline model::ColumnStats typed(std::string name, std::string type, std::optional<double> n_distinct,
                                std::string collation = {})
{
  auto stats = test_support::column_stats(std::move(name), n_distinct);
  stats.type = std::move(type);
  stats.collation = std::move(collation);
  return stats;
}

inline model::FunctionInfo function(std::string name, std::vector<std::string> args, model::Volatility volatility)
{
  return model::FunctionInfo{"pg_catalog", std::move(name), std::move(args), volatility};
}

//! shop.events: 2,000,000 rows in created_at order; status mostly 'done'.
inline model::Catalog catalog(bool with_features = true)
{
  model::TableInfo events{"shop", "events", 2'000'000, 40'000, 330'000'000, {}, {}, {}};
  auto status = typed("status", "text", 3, "default");
  status.most_common_vals = {"done", "shipped", "pending"};
  status.most_common_freqs = {0.7, 0.27, 0.03};
  auto created = typed("created_at", "timestamp with time zone", -1);
  created.correlation = 0.998;
  auto seen = typed("seen_at", "timestamp without time zone", -1);
  seen.correlation = 0.2;
  events.columns = {typed("id", "bigint", -1),
                    typed("customer_id", "integer", -0.05),
                    status,
                    typed("email", "text", -0.5, "default"),
                    typed("name", "character varying(40)", -0.5, "default"),
                    typed("code", "text", -1, "C"),
                    typed("payload", "jsonb", -1),
                    typed("tags", "text[]", -1),
                    created,
                    seen,
                    typed("total", "numeric(12,2)", -0.3)};
  events.indexes = {test_support::btree("events_pkey", "events", {"id"})};
  model::Catalog out;
  out.tables = {events};
  if (with_features) {
    model::ServerFeatures features;
    using model::Volatility;
    features.functions = {
        function("lower", {"text"}, Volatility::immutable),
        function("lower", {"anyrange"}, Volatility::immutable),
        function("date_trunc", {"text", "timestamp without time zone"}, Volatility::immutable),
        function("date_trunc", {"text", "timestamp with time zone"}, Volatility::stable),
        function("date_trunc", {"text", "interval"}, Volatility::immutable),
        function("->>", {"jsonb", "text"}, Volatility::immutable),
        function("random", {}, Volatility::volatile_),
    };
    features.extensions = {"plpgsql"};
    features.database_collation = "en_US.UTF-8";
    out.features = features;
  }
  return out;
}

inline heuristics::CandidateSet candidates(const std::string& sql, const model::Catalog& catalog,
                                           const heuristics::CandidateSettings& settings = {})
{
  auto info = parser::analyse(sql);
  REQUIRE(info.ok());
  return heuristics::generate_candidate_set(info->shape, catalog, settings);
}

inline const heuristics::IndexCandidate* find_kind(const heuristics::CandidateSet& set, heuristics::CandidateKind kind)
{
  for (const auto& c : set.candidates)
    if (c.kind == kind)
      return &c;
  return nullptr;
}

}  // namespace candidate_support
