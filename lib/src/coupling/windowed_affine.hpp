#pragma once
// A coupling pair's map of its target (coupling.hpp): affine, t ↦ (t − m)·e^−s, while the output
// lies within ±window, and of slope 1 beyond, continuous at ±window. Why the window: the scale s
// is fitted where training rows are; a held-out row far in the target's tail (beyond every
// training row) was pushed further out by e^−s instead of being left where the marginal maps put
// it (a banana test row scored 66 nats lower than without coupling; bench/README.md, "The
// coupling challenger"). For rows of
// the fitted distribution the output is about N(0, 1), so beyond ±4 lie 6·10⁻⁵ of them.

#include <cmath>

namespace rbig::detail {

/// The forward map of t given m and s; adds its log-derivative (−s inside, 0 beyond) to log_det.
inline double windowed_affine(double t, double m, double s, double window, double& log_det) {
  const double out = (t - m) * std::exp(-s);
  if (!(std::abs(out) > window)) {  // NaN too: a NaN row's log-derivative is NaN
    log_det -= s;
    return out;
  }
  const double edge = std::copysign(window, out);
  return edge + (t - (m + edge * std::exp(s)));
}

/// The inverse of windowed_affine; adds its log-derivative (s inside, 0 beyond) to log_det.
inline double windowed_affine_inverse(double y, double m, double s, double window,
                                      double& log_det) {
  if (!(std::abs(y) > window)) {
    log_det += s;
    return y * std::exp(s) + m;
  }
  const double edge = std::copysign(window, y);
  return m + edge * std::exp(s) + (y - edge);
}

}  // namespace rbig::detail
