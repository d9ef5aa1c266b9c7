#include "heuristics/index_selection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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
