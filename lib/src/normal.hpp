#pragma once
// The standard normal distribution: Φ, its complement, Φ⁻¹ and log φ. The only place where these
// are computed, so accuracy and speed are decided here (Boost.Math, double precision throughout).

#include <cmath>

namespace rbig::detail {

inline constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // log √(2π)

/// log φ(z) = −z²/2 − log √(2π).
inline double log_normal_pdf(double z) { return -0.5 * z * z - kLogSqrt2Pi; }

/// Φ(z), accurate in the lower tail (relative error ~1e-16 down to z ≈ −37).
double normal_cdf(double z);
/// Φ⁻¹(p) for p in (0, 1); accurate for small p (use normal_quantile_upper near 1).
double normal_quantile(double p);
/// Φ⁻¹(1 − q) computed from q itself, so that upper-tail probabilities keep full precision.
double normal_quantile_upper(double q);

}  // namespace rbig::detail

namespace rbig::detail {

/// The tail model shared by every marginal: beyond an edge x0 (where the map has reached z0 with
/// slope s = dz/dx), the latent value continues log-linearly,
///   z = z0 ± L·log(1 + s·u/L),  u = distance beyond the edge,
/// so the map is C¹ at the edge, Gaussian-like (z ≈ z0 ± s·u) for s·u ≪ L, and |z| grows only
/// logarithmically far away: every finite x has a finite z and a finite log-derivative, and back.
struct LogLinearTail {
  static constexpr double kScale = 10.0;  // L, in latent units
  double edge;       // x0
  double z_edge;     // z0
  double slope;      // s > 0
  double direction;  // −1 for a left tail, +1 for a right tail

  double z(double x) const {
    return z_edge + direction * kScale * std::log1p(slope * std::abs(x - edge) / kScale);
  }
  double log_derivative(double x) const {
    return std::log(slope) - std::log1p(slope * std::abs(x - edge) / kScale);
  }
  double x(double z) const {
    return edge + direction * kScale / slope * std::expm1(std::abs(z - z_edge) / kScale);
  }
};

}  // namespace rbig::detail
