#include "heuristics/index_selection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

namespace heuristics {

namespace {

constexpr double same_improvement = 0.02;    //!< within 2 points: no real difference
constexpr double clearly_better = 0.05;      //!< more than 5 points: worth the wider index

std::string percent(double ratio)
{
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f %%", std::floor(ratio * 100 + 1e-9));
  return buffer;
}

//! Every column of `fewer` is among `more`'s: an index on `more` serves `fewer`'s
//! predicates too, once the query constrains the leading ones.
bool is_subset(const IndexCandidate& fewer, const IndexCandidate& more)
{
  return std::all_of(fewer.columns.begin(), fewer.columns.end(), [&](const std::string& column) {
    return std::find(more.columns.begin(), more.columns.end(), column) != more.columns.end();
  });
}

bool same_table(const IndexCandidate& a, const IndexCandidate& b)
{
  return a.schema == b.schema && a.table == b.table;
}

//! Two candidates compete when one's columns are within the other's (a prefix or a subset), or
//! when they give the same improvement: only one of them is worth building.
bool related(const CandidateEvaluation& a, const CandidateEvaluation& b)
{
  if (!same_table(a.candidate, b.candidate))
    return false;
  return is_subset(a.candidate, b.candidate) || is_subset(b.candidate, a.candidate) ||
         std::abs(a.improvement() - b.improvement()) <= same_improvement;
}

//! The better of two related candidates: the wider one only when clearly better.
bool first_wins(const CandidateEvaluation& a, const CandidateEvaluation& b)
{
  const std::size_t na = a.candidate.columns.size();
  const std::size_t nb = b.candidate.columns.size();
  if (na == nb)
    return a.improvement() >= b.improvement();
  const CandidateEvaluation& narrow = na < nb ? a : b;
  const CandidateEvaluation& wide = na < nb ? b : a;
  const bool wide_wins = wide.improvement() > narrow.improvement() + clearly_better;
  return wide_wins == (&wide == &a);
}

}  // namespace

double CandidateEvaluation::improvement() const
{
  if (cost_before <= 0)
    return 0;
  return 1 - cost_after / cost_before;
}

Selection select_indexes(std::vector<CandidateEvaluation> evaluations, const SelectionSettings& settings)
{
  Selection selection;
  std::vector<CandidateEvaluation> passing;
  for (auto& evaluation : evaluations) {
    if (!evaluation.index_used) {
      selection.rejected.emplace_back(std::move(evaluation.candidate), "not used by the planner");
      continue;
    }
    const double gain = evaluation.improvement();
    if (gain < settings.min_improvement) {
      const std::string reason = gain <= 0 ? "not cheaper (" + percent(-gain) + " dearer)"
                                           : percent(gain) + " cheaper, below the " +
                                               percent(settings.min_improvement) + " bar";
      selection.rejected.emplace_back(std::move(evaluation.candidate), reason);
      continue;
    }
    passing.push_back(std::move(evaluation));
  }

  // Best first, so that each candidate only has to be compared with the ones already kept.
  std::stable_sort(passing.begin(), passing.end(), [](const CandidateEvaluation& a, const CandidateEvaluation& b) {
    return a.improvement() > b.improvement();
  });
  for (auto& evaluation : passing) {
    auto rival = std::find_if(selection.chosen.begin(), selection.chosen.end(),
                              [&](const CandidateEvaluation& kept) { return related(kept, evaluation); });
    if (rival == selection.chosen.end()) {
      selection.chosen.push_back(std::move(evaluation));
      continue;
    }
    if (first_wins(*rival, evaluation)) {
      selection.rejected.emplace_back(std::move(evaluation.candidate),
                                      "superseded by " + rival->candidate.index_name() + " (" +
                                        percent(rival->improvement()) + " cheaper)");
    } else {
      std::string reason = "superseded by " + evaluation.candidate.index_name() + " (" +
                           percent(evaluation.improvement()) + " cheaper)";
      selection.rejected.emplace_back(std::move(rival->candidate), std::move(reason));
      *rival = std::move(evaluation);
    }
  }
  std::stable_sort(selection.chosen.begin(), selection.chosen.end(),
                   [](const CandidateEvaluation& a, const CandidateEvaluation& b) {
                     return a.improvement() > b.improvement();
                   });
  return selection;
}

std::string recommendation_id(const std::string& target, const std::string& kind, const std::string& statement)
{
  std::uint64_t hash = 14695981039346656037ULL;
  const auto mix = [&hash](const std::string& text) {
    for (unsigned char c : text) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
  };
  mix(target);
  mix("\n");
  mix(kind);
  mix("\n");
  mix(statement);
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

std::optional<std::string> marginal_rejection(const IndexCandidate& candidate, const std::string& chosen_label,
                                              double cost_with_chosen, double cost_with_both, bool used,
                                              const SelectionSettings& settings)
{
  if (!used)
    return "not used by the planner once " + chosen_label + " exists";
  const double improvement = cost_with_chosen > 0 ? 1.0 - cost_with_both / cost_with_chosen : 0.0;
  if (improvement >= settings.min_improvement)
    return std::nullopt;
  return percent(std::max(improvement, 0.0)) + " cheaper on top of " + chosen_label + ", below the " +
         percent(settings.min_improvement) + " bar";
}

}  // namespace heuristics

namespace heuristics {

namespace {

//! A btree on plain columns with default operator classes, no INCLUDE and no predicate: the
//! only kind whose prefix serves another and that can be merged.
bool plain_btree(const IndexCandidate& candidate)
{
  if (candidate.access_method != "btree" || !candidate.include_columns.empty() || !candidate.predicate.empty())
    return false;
  for (std::size_t i = 0; i < candidate.columns.size(); ++i)
    if (candidate.key_is_expression(i) || !candidate.key_opclass(i).empty())
      return false;
  return true;
}

bool direction(const IndexCandidate& candidate, std::size_t i)
{
  return i < candidate.descending.size() && candidate.descending[i];
}

}  // namespace

bool served_by_prefix(const IndexCandidate& narrow, const IndexCandidate& wide)
{
  // A wider index serves a plain narrow one whatever it carries besides (INCLUDE, more keys),
  // as long as it covers every row (no predicate) with the same key kinds.
  if (!plain_btree(narrow) || wide.access_method != "btree" || !wide.predicate.empty() || !same_table(narrow, wide) ||
      narrow.columns.size() > wide.columns.size() || narrow.columns.empty())
    return false;
  for (std::size_t i = 0; i < narrow.columns.size(); ++i)
    if (wide.key_is_expression(i) || !wide.key_opclass(i).empty())
      return false;
  bool same = true;
  bool reversed = true;
  for (std::size_t i = 0; i < narrow.columns.size(); ++i) {
    if (narrow.columns[i] != wide.columns[i])
      return false;
    same = same && direction(narrow, i) == direction(wide, i);
    reversed = reversed && direction(narrow, i) != direction(wide, i);
  }
  return same || reversed;
}

std::vector<IndexCandidate> merge_candidates(const std::vector<IndexCandidate>& candidates, std::size_t limit)
{
  std::vector<IndexCandidate> merged;
  const auto known = [&](const IndexCandidate& candidate) {
    const auto equal = [&](const IndexCandidate& other) { return other == candidate; };
    return std::any_of(candidates.begin(), candidates.end(), equal) ||
           std::any_of(merged.begin(), merged.end(), equal);
  };
  for (std::size_t a = 0; a < candidates.size() && merged.size() < limit; ++a) {
    for (std::size_t b = 0; b < candidates.size() && merged.size() < limit; ++b) {
      const auto& first = candidates[a];
      const auto& second = candidates[b];
      if (a == b || !plain_btree(first) || !plain_btree(second) || !same_table(first, second) ||
          first.columns.empty() || second.columns.empty() || first.columns[0] != second.columns[0] ||
          served_by_prefix(first, second) || served_by_prefix(second, first))
        continue;
      IndexCandidate wide = first;
      wide.kind = CandidateKind::btree;
      for (std::size_t i = 0; i < second.columns.size(); ++i) {
        if (std::find(wide.columns.begin(), wide.columns.end(), second.columns[i]) != wide.columns.end())
          continue;
        wide.columns.push_back(second.columns[i]);
        wide.descending.resize(wide.columns.size() - 1, false);
        wide.descending.push_back(direction(second, i));
      }
      if (wide.columns.size() == first.columns.size() || known(wide))
        continue;
      wide.reasons.insert(wide.reasons.end(), second.reasons.begin(), second.reasons.end());
      wide.reasons.push_back("merged from " + first.index_name() + " and " + second.index_name());
      merged.push_back(std::move(wide));
    }
  }
  return merged;
}

}  // namespace heuristics

namespace heuristics {

namespace {

//! An enum-like column: at most this many distinct values.
constexpr double max_enum_distinct = 50;

}  // namespace

std::optional<std::string> partial_misfit(const IndexCandidate& candidate, const model::TableInfo& table)
{
  if (candidate.kind != CandidateKind::partial)
    return std::nullopt;
  static const std::regex equality(R"re(^\(?\s*"?([^"\s=()]+)"?\s*=\s*'((?:[^']|'')*)'(?:::[a-z ]+)?\s*\)?$)re");
  std::smatch match;
  if (!std::regex_match(candidate.predicate, match, equality))
    return std::nullopt;
  const std::string name = match[1].str();
  const auto* column = table.column(name);
  if (!column)
    return std::nullopt;
  const std::string value = std::regex_replace(match[2].str(), std::regex("''"), "'");
  const bool common = std::find(column->most_common_vals.begin(), column->most_common_vals.end(), value) !=
                      column->most_common_vals.end();
  double distinct = column->n_distinct.value_or(0);
  if (distinct < 0)
    distinct = -distinct * std::max(table.reltuples, 0.0);
  if (common && distinct > 0 && distinct <= max_enum_distinct)
    return std::nullopt;
  return "'" + value + "' on " + name + " (" + (distinct > 0 ? std::to_string(static_cast<long long>(distinct)) : std::string("unknown")) +
         " distinct values" + (common ? "" : ", not a common value in pg_stats") +
         ") looks like a parameter that varies from call to call, not a fixed filter for a partial index";
}

}  // namespace heuristics
