#include "heuristics/detection/robust_stats.hpp"

#include <algorithm>
#include <cmath>

namespace heuristics::detection {

double median(std::vector<double> values)
{
  if (values.empty())
    return 0;
  const auto middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1)
    return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
  return (lower + upper) / 2;
}

double median_absolute_deviation(const std::vector<double>& values)
{
  if (values.empty())
    return 0;
  const double centre = median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (const double v : values)
    deviations.push_back(std::fabs(v - centre));
  return median(std::move(deviations));
}

std::optional<LinearFit> fit_line(const std::vector<double>& x, const std::vector<double>& y)
{
  const auto n = std::min(x.size(), y.size());
  if (n < 2)
    return std::nullopt;
  // Centre x and y first: x are Unix seconds (~1.8e9), and squaring them uncentred would lose
  // most of the precision of a double.
  double mean_x = 0;
  double mean_y = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mean_x += x[i];
    mean_y += y[i];
  }
  mean_x /= static_cast<double>(n);
  mean_y /= static_cast<double>(n);
  double sxx = 0;
  double sxy = 0;
  double syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mean_x;
    const double dy = y[i] - mean_y;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx <= 0)
    return std::nullopt;
  LinearFit fit;
  fit.slope = sxy / sxx;
  fit.intercept = mean_y - fit.slope * mean_x;
  fit.r_squared = syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  return fit;
}

}  // namespace heuristics::detection
