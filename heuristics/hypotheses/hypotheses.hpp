#pragma once
// Root-cause hypotheses for one detected fingerprint: correlates the evidence the store has
// (plan change, rows, buffers, spills, table growth, statistics age, dead tuples, load) into
// ranked, numbered statements a DBA can check, each naming the recommendation kind that
// addresses it or saying that none is known. Pure.

#include <optional>
#include <string>
#include <vector>

#include "heuristics/hypotheses/evidence.hpp"
#include "model/recommendation.hpp"

namespace heuristics::hypotheses {

enum class Cause {
  plan_change,       //!< the plan hash changed
  more_rows,         //!< rows returned per call grew
  cache_misses,      //!< shared blocks read (not hit) per call grew
  temp_spill,        //!< temp blocks written: sorts/hashes spill to disk
  table_growth,      //!< a table read by the statement grew
  stale_statistics,  //!< many rows modified since the last ANALYZE, or analysed long ago
  bloat,             //!< many dead tuples
  load,              //!< calls per second grew
};

const char* to_string(Cause cause);

struct Figure {
  std::string name;  //!< "mean_ratio", "rows_per_call_before"…
  double value = 0;
};

struct Hypothesis {
  Cause cause = Cause::plan_change;
  double strength = 0;      //!< 0..1: how well the evidence supports it; the ranking key
  std::string statement;    //!< one line with the numbers
  std::string table;        //!< the table it is about, when it is about one
  std::vector<Figure> figures;
  //! The recommendation kind that addresses it; empty: none is known (see `remedy_note`).
  std::optional<model::RecommendationKind> remedy;
  std::string remedy_note;  //!< e.g. "ANALYZE shop.orders" or "none known: VACUUM shop.orders"
};

struct HypothesisOptions {
  double min_ratio = 1.5;                  //!< per-call figures must grow at least this much
  double min_read_share = 0.1;             //!< blocks read / (read + hit) for cache misses
  double min_blocks_read_per_call = 100;   //!< without a baseline: read per call at least this
  double min_growth = 0.2;                 //!< table growth (fraction) worth mentioning
  double stale_modified_fraction = 0.1;    //!< n_mod_since_analyze / n_live_tup
  double stale_age_seconds = 7 * 86400.0;  //!< analysed longer ago than this (with changes)
  double bloat_dead_fraction = 0.2;        //!< n_dead_tup / (live + dead)
  double min_load_ratio = 2.0;             //!< calls per second growth
};

//! Every hypothesis the evidence supports, strongest first (ties: enum order). Empty when
//! nothing stands out. Never throws.
std::vector<Hypothesis> hypothesize(const FingerprintEvidence& evidence, const HypothesisOptions& options = {});

//! One line for the finding: "mean time 4.1× its baseline; <top hypotheses' statements>", at
//! most `max` of them.
std::string headline(const FingerprintEvidence& evidence, const std::vector<Hypothesis>& hypotheses,
                     std::size_t max = 3);

}  // namespace heuristics::hypotheses
