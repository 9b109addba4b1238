#pragma once
// log Φ and its inverse over the whole real line, for maps that must stay finite where Φ itself
// underflows (below z ≈ −38): the mixture's Rosenblatt transform works on log-probabilities.

#include "stats/normal.hpp"

#include <cmath>
#include <limits>

namespace rbig::detail {

/// Below this z, Φ(z) < 1e-300: log Φ by its asymptotic series instead of log(Φ(z)).
inline constexpr double kLogCdfSeriesBelow = -37.0;

/// log Φ(z) for any z (−∞ at −∞, 0 at +∞). Beyond −37 the asymptotic series of the Mills ratio,
/// Φ(z) = φ(z)/|z|·(1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸ − 945/z¹⁰ + …), whose next term is < 5e-15.
inline double log_normal_cdf(double z) {
  if (std::isnan(z)) return z;
  if (z > 0.0) return std::log1p(-normal_cdf(-z));
  if (z >= kLogCdfSeriesBelow) return std::log(normal_cdf(z));
  if (z == -std::numeric_limits<double>::infinity()) return z;
  const double w = 1.0 / (z * z);
  const double series = w * (-1.0 + w * (3.0 + w * (-15.0 + w * (105.0 - 945.0 * w))));
  return log_normal_pdf(z) - std::log(-z) + std::log1p(series);
}

/// Φ⁻¹(exp(log_p)) for log_p ≤ log ½ (the lower half: the caller takes the smaller tail), −∞
/// for −∞. Where exp(log_p) is a normal double, AS 241; below, Newton on log Φ from the leading
/// asymptote z = −√(−2·log_p) (it converges in a few steps: log Φ is nearly quadratic there).
inline double normal_quantile_from_log(double log_p) {
  if (std::isnan(log_p) || log_p == -std::numeric_limits<double>::infinity()) return log_p;
  if (log_p > -690.0) return normal_quantile(std::exp(log_p));
  double z = -std::sqrt(-2.0 * log_p);
  for (int i = 0; i < 50; ++i) {
    // d log Φ / dz = φ/Φ, which for z < −37 is |z|·(1 + O(1/z²)): from the same series.
    const double g = log_normal_cdf(z) - log_p;
    const double slope = std::exp(log_normal_pdf(z) - log_normal_cdf(z));
    const double step = g / slope;
    z -= step;
    if (std::abs(step) <= 1e-16 * std::abs(z)) break;
  }
  return z;
}

}  // namespace rbig::detail
