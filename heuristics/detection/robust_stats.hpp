#pragma once
// Small statistics the detectors share: robust centre and spread, and a least-squares line.

#include <optional>
#include <vector>

namespace heuristics::detection {

//! Median of the values; 0 for an empty list.
double median(std::vector<double> values);

//! Median absolute deviation from the median (unscaled); 0 for an empty list.
double median_absolute_deviation(const std::vector<double>& values);

//! MAD scaled to estimate a standard deviation under normal noise (× 1.4826).
inline double robust_sigma(const std::vector<double>& values)
{
  return 1.4826 * median_absolute_deviation(values);
}

struct LinearFit {
  double slope = 0;      //!< y units per x unit
  double intercept = 0;  //!< y at x = 0
  double r_squared = 0;  //!< 1 for a perfect fit; 0 when y is constant
  double at(double x) const { return intercept + slope * x; }
};

//! Ordinary least squares of y on x. Absent with fewer than two points or when all x are equal.
std::optional<LinearFit> fit_line(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace heuristics::detection
