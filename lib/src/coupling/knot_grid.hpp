#pragma once
// The knots of a coupling map's functions (coupling.hpp): `knots` equally spaced points over
// [−range, range]; a function is the linear interpolation of its knot values, constant beyond.

#include <rbig/types.hpp>

#include <algorithm>
#include <cmath>

namespace rbig::detail {

struct KnotGrid {
  int knots;
  double range;

  /// The left knot of x's interval and x's weight on the right one (0 below the grid, and the
  /// last interval with weight 1 above it); NaN gives knot 0 and weight NaN.
  void locate(double x, Index& left, double& weight) const {
    const double t = (x + range) / (2.0 * range) * (knots - 1);
    const double clamped = std::min(std::max(t, 0.0), static_cast<double>(knots - 1));
    left = std::isnan(t) ? 0 : std::min(static_cast<Index>(clamped), static_cast<Index>(knots - 2));
    weight = std::isnan(t) ? t : clamped - static_cast<double>(left);
  }
  static double at(const Vector& values, Index left, double weight) {
    return (1.0 - weight) * values[left] + weight * values[left + 1];
  }
};

}  // namespace rbig::detail
