#pragma once
// The standard normal distribution: Φ, its complement, Φ⁻¹ and log φ. The only place where these
// are computed, so accuracy and speed are decided here (double precision throughout; Φ through
// Boost.Math, Φ⁻¹ by AS 241 below).

#include "core/math_constants.hpp"
#include <algorithm>
#include <cmath>

namespace rbig::detail {

/// log φ(z) = −z²/2 − log √(2π).
inline double log_normal_pdf(double z) { return -0.5 * z * z - kLogSqrt2Pi; }

/// Φ(z), accurate in the lower tail (relative error ~1e-16 down to z ≈ −37).
double normal_cdf(double z);
/// Φ⁻¹(p) for p in (0, 1); accurate for small p (use normal_quantile_upper near 1). Inline below.
inline double normal_quantile(double p);
/// Φ⁻¹(1 − q) computed from q itself, so that upper-tail probabilities keep full precision.
inline double normal_quantile_upper(double q);

// Φ⁻¹ by Wichura's algorithm AS 241 (PPND16). Φ⁻¹ is the hot function of every layer (one call
// per value per layer), so it is inline for the marginals' loops. Boost's erfc_inv is as accurate
// but slower; AS 241 reaches a relative accuracy of about 1e-16 with one rational function of
// degree 7/7 in the centre (|p − ½| ≤ 0.425) and, in the tails, one log and one sqrt followed by a
// rational function in r = √(−log p). It works on p itself, never on 1 − p, so tiny probabilities
// (down to 1e-300 and below) keep full relative precision. Reference: M. J. Wichura, "Algorithm
// AS 241: The percentage points of the normal distribution", Applied Statistics 37 (1988)
// 477–484. Checked against Boost's erfc_inv in tests/test_normal.cpp; timed in bench/perf.cpp.
namespace as241 {

// Horner evaluation of c[0] + c[1]·x + … + c[7]·x⁷.
inline double poly7(const double (&c)[8], double x) {
  return ((((((c[7] * x + c[6]) * x + c[5]) * x + c[4]) * x + c[3]) * x + c[2]) * x + c[1]) * x +
         c[0];
}

// AS 241 coefficients (PPND16), numerator / denominator of each region.
constexpr double kCentralNum[8] = {
    3.387132872796366608,  133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
    45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727};
constexpr double kCentralDen[8] = {1.0,
                                   42.313330701600911252,
                                   687.1870074920579083,
                                   5394.1960214247511077,
                                   21213.794301586595867,
                                   39307.89580009271061,
                                   28729.085735721942674,
                                   5226.495278852545925};
constexpr double kNearNum[8] = {1.42343711074968357734,   4.6303378461565452959,
                                5.7694972214606914055,    3.64784832476320460504,
                                1.27045825245236838258,   0.24178072517745061177,
                                0.0227238449892691845833, 7.7454501427834140764e-4};
constexpr double kNearDen[8] = {1.0,
                                2.05319162663775882187,
                                1.6763848301838038494,
                                0.68976733498510000455,
                                0.14810397642748007459,
                                0.0151986665636164571966,
                                5.475938084995344946e-4,
                                1.05075007164441684324e-9};
constexpr double kFarNum[8] = {6.6579046435011037772,     5.4637849111641143699,
                               1.7848265399172913358,     0.29656057182850489123,
                               0.026532189526576123093,   0.0012426609473880784386,
                               2.71155556874348757815e-5, 2.01033439929228813265e-7};
constexpr double kFarDen[8] = {1.0,
                               0.59983220655588793769,
                               0.13692988092273580531,
                               0.0148753612908506148525,
                               7.868691311456132591e-4,
                               1.8463183175100546818e-5,
                               1.4215117583164458887e-7,
                               2.04426310338993978564e-15};

// −Φ⁻¹(p) for p ≤ ½ given as the tail probability itself (the |z| of the lower tail), for the
// part of the tail beyond the central region: r = √(−log p) > √(−log 0.075) ≈ 1.6. The steps are
// exposed so that batched loops can vectorise the rational functions (tail_near for r ≤ 5,
// tail_far beyond, i.e. p < 1.4e-11) apart from the log.
inline double tail_radius(double p) { return std::sqrt(-std::log(p)); }
inline double tail_near(double r) { return poly7(kNearNum, r - 1.6) / poly7(kNearDen, r - 1.6); }
inline double tail_far(double r) { return poly7(kFarNum, r - 5.0) / poly7(kFarDen, r - 5.0); }
inline double tail_magnitude(double p) {
  const double r = tail_radius(p);
  return r <= 5.0 ? tail_near(r) : tail_far(r);
}

/// True when p lies in the central region, where Φ⁻¹(p) = central(p − ½).
inline bool is_central(double p) { return std::abs(p - 0.5) <= 0.425; }

/// Φ⁻¹(½ + q) for |q| ≤ 0.425 (branch-free, so batched loops can vectorise it).
inline double central(double q) {
  const double r = 0.180625 - q * q;
  return q * poly7(kCentralNum, r) / poly7(kCentralDen, r);
}

}  // namespace as241

inline double normal_quantile(double p) {
  if (as241::is_central(p)) return as241::central(p - 0.5);
  const double q = p - 0.5;
  // Beyond the centre work on the smaller of p and 1 − p (for p > ½, 1 − p is exact: p ≥ 0.925).
  return q < 0.0 ? -as241::tail_magnitude(p) : as241::tail_magnitude(1.0 - p);
}

inline double normal_quantile_upper(double q) {
  // Φ⁻¹(1 − q) = −Φ⁻¹(q): symmetric, and q keeps full precision when it is tiny.
  return -normal_quantile(q);
}

}  // namespace rbig::detail
