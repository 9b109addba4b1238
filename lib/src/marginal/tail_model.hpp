#pragma once
// The tail model every marginal shares beyond its support: how latent values continue past the
// data so that every finite x maps to a finite z and back.

#include "stats/normal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rbig::detail {

/// The tail model shared by every marginal: beyond an edge x0 (where the map has reached z0 with
/// slope s = dz/dx), the latent value continues linearly for B latent units, then logarithmically,
///   z = z0 ± s·u                          for s·u ≤ B,
///   z = z0 ± (B + L·log(1 + (s·u − B)/L))  beyond,        u = distance beyond the edge,
/// so the map is C¹, Gaussian over every latent value a draw will ever reach (B = 8 ends the
/// linear part beyond |z| ≈ 12, probability 1e-33), and |z| grows only logarithmically farther
/// out: every finite x has a finite z and a finite log-derivative, and back. The linear part
/// matters for inverses through many layers: a purely logarithmic tail (B = 0, model files before
/// version 3) inverts to x − x0 = (L/s)·expm1(Δz/L), which grows faster than Δz, so a draw that
/// falls in the tails of several successive layers grew without bound and overflowed.
struct LinearLogTail {
  static constexpr double kScale = 10.0;      // L, in latent units
  static constexpr double kLinearSpan = 8.0;  // B, in latent units
  double edge;                                // x0
  double z_edge;                              // z0
  double slope;                               // s > 0
  double direction;                           // −1 for a left tail, +1 for a right tail

  double z(double x) const {
    const double t = slope * std::abs(x - edge);
    if (std::isfinite(t)) return z_edge + direction * excess(t);
    return z_edge + direction * (kLinearSpan + kScale * (log_distance(x) - std::log(kScale)));
  }
  double log_derivative(double x) const {
    const double t = slope * std::abs(x - edge);
    if (!std::isfinite(t)) return std::log(slope) - (log_distance(x) - std::log(kScale));
    return t <= kLinearSpan ? std::log(slope)
                            : std::log(slope) - std::log1p((t - kLinearSpan) / kScale);
  }
  double x(double z) const {
    const double e = std::abs(z - z_edge);
    const double t =
        e <= kLinearSpan ? e : kLinearSpan + kScale * std::expm1((e - kLinearSpan) / kScale);
    // Beyond where expm1 overflows: the same distance from its logarithm.
    const double x_far =
        std::isfinite(t)
            ? edge + direction * t / slope
            : edge + direction *
                         std::exp(std::log(kScale) + (e - kLinearSpan) / kScale - std::log(slope));
    if (std::isfinite(x_far)) return x_far;
    // Rounding at the top of the range: a z within 1e-12 (relative) of the image of the largest
    // finite x maps to that x; farther out no finite x maps to z, and inf says so.
    const double x_max = direction * std::numeric_limits<double>::max();
    return e <= std::abs(this->z(x_max) - z_edge) * (1.0 + 1e-12) ? x_max : x_far;
  }

 private:
  // Latent distance beyond z0 at linear distance t = s·u.
  static double excess(double t) {
    return t <= kLinearSpan ? t : kLinearSpan + kScale * std::log1p((t - kLinearSpan) / kScale);
  }
  // log(s·|x − x0|) where that product overflows (x near ±DBL_MAX, or a steep slope): the halves
  // cannot overflow. log1p((t − B)/L) differs from log(t/L) by about (L − B)/t < 1e-290 there.
  double log_distance(double x) const {
    return std::log(slope) + std::log(std::abs(0.5 * x - 0.5 * edge)) + std::log(2.0);
  }
};

/// The slope s of a tail at an edge: f(edge)/φ(z0), so that the density is continuous there, but
/// at least the map's mean slope over its support, (z_upper − z_lower)/(x_upper − x_lower). The
/// continuous slope alone is tiny where the estimate's density floor is all that is left at the
/// edge (kde grids end 4 bandwidths past the data): then 1/s is large and the inverse stretches
/// every latent step beyond z0 into a long step in x, which the next layer's tail stretches again.
inline double tail_slope(double log_density_at_edge, double z_edge, double mean_slope) {
  const double continuous = std::exp(log_density_at_edge - log_normal_pdf(z_edge));
  return std::max(continuous, mean_slope);
}

}  // namespace rbig::detail
