#include "heuristics/triage/score.hpp"

#include <algorithm>
#include <cmath>

namespace heuristics::triage {

double score(double ms_saved_per_day, double confidence)
{
  if (std::isnan(ms_saved_per_day) || std::isnan(confidence))
    return 0;
  return std::max(ms_saved_per_day, 0.0) * std::clamp(confidence, 0.0, 1.0);
}

std::vector<RankedItem> rank(const std::vector<TriageItem>& items)
{
  std::vector<RankedItem> out;
  out.reserve(items.size());
  for (const auto& item : items)
    out.push_back(RankedItem{item, score(item.ms_saved_per_day, item.confidence), 0});
  std::sort(out.begin(), out.end(), [](const RankedItem& a, const RankedItem& b) {
    if (a.score != b.score)
      return a.score > b.score;
    if (a.item.risk != b.item.risk)
      return static_cast<int>(a.item.risk) < static_cast<int>(b.item.risk);
    if (a.item.target != b.item.target)
      return a.item.target < b.item.target;
    return a.item.id < b.item.id;
  });
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].rank = static_cast<int>(i) + 1;
  return out;
}

}  // namespace heuristics::triage
