#include "marginal/tail_model.hpp"
#include "stats/normal.hpp"

#include <boost/math/special_functions/erf.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>

using namespace rbig::detail;

TEST_CASE("normal: Φ matches tabulated values, including the far lower tail") {
  CHECK(normal_cdf(0.0) == 0.5);
  CHECK(normal_cdf(-1.959963984540054) == doctest::Approx(0.025).epsilon(1e-14));
  CHECK(normal_cdf(1.0) == doctest::Approx(0.8413447460685429).epsilon(1e-14));
  // Φ(−10) = 7.619853024160527e-24 (relative accuracy matters here, not absolute).
  CHECK(normal_cdf(-10.0) == doctest::Approx(7.619853024160527e-24).epsilon(1e-13));
}

TEST_CASE("normal: Φ⁻¹ inverts Φ in both tails with relative precision") {
  for (double z : {-37.0, -20.0, -8.0, -1.0, -1e-3, 0.0, 0.5, 3.0}) {
    CHECK(normal_quantile(normal_cdf(z)) == doctest::Approx(z).epsilon(1e-12));
  }
  // Upper tail through the complement: Φ⁻¹(1 − q) for tiny q, where 1 − q would round to 1.
  CHECK(normal_quantile_upper(normal_cdf(-20.0)) == doctest::Approx(20.0).epsilon(1e-12));
  CHECK(normal_quantile_upper(0.5) == doctest::Approx(0.0));
  CHECK(normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-14));
}

TEST_CASE("normal: log φ is the log of the Gaussian density") {
  CHECK(log_normal_pdf(0.0) == doctest::Approx(-0.5 * std::log(2 * M_PI)).epsilon(1e-15));
  CHECK(std::exp(log_normal_pdf(1.5)) ==
        doctest::Approx(std::exp(-1.125) / std::sqrt(2 * M_PI)).epsilon(1e-15));
}

namespace {

// Reference Φ⁻¹ through Boost's erfc_inv (the previous implementation, accurate to ~1e-16).
double reference_quantile(double p) { return -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * p); }

// |a − b| / |b|, or |a − b| when b is 0.
double relative_error(double a, double b) {
  return b == 0.0 ? std::abs(a - b) : std::abs(a - b) / std::abs(b);
}

}  // namespace

TEST_CASE("normal: AS 241 Φ⁻¹ matches Boost's erfc_inv to 1e-14 relative on a dense grid") {
  double worst = 0.0;
  double worst_p = 0.0;
  const auto check = [&](double p) {
    const double error = relative_error(normal_quantile(p), reference_quantile(p));
    if (error > worst) {
      worst = error;
      worst_p = p;
    }
    // Upper variant from q = p: Φ⁻¹(1 − p) = −Φ⁻¹(p).
    const double upper_error = relative_error(normal_quantile_upper(p), -reference_quantile(p));
    if (upper_error > worst) {
      worst = upper_error;
      worst_p = p;
    }
  };
  // Far lower tail: 1e-300 … 1e-10, 200 points per decade.
  for (int i = 0; i <= 290 * 200; ++i) check(std::pow(10.0, -300.0 + i / 200.0));
  // 1e-10 … 1 − 1e-10 through the region boundaries (0.075, 0.425 around ½).
  for (int i = 1; i < 200000; ++i) check(i / 200000.0);
  for (double p : {1e-10, 0.075, 0.925, 0.075 + 1e-12, 0.925 - 1e-12, 0.999999, 1.0 - 1e-10})
    check(p);
  // ½ ± tiny: Φ⁻¹ ≈ √(2π)·(p − ½), where relative precision rests on p − ½ being exact.
  for (int e = 2; e <= 52; ++e) {
    check(0.5 + std::ldexp(1.0, -e));
    check(0.5 - std::ldexp(1.0, -e - 1));
  }
  INFO("worst relative error ", worst, " at p = ", worst_p);
  CHECK(worst <= 1e-14);
  CHECK(normal_quantile(0.5) == 0.0);
}

TEST_CASE("normal: Φ⁻¹ and Φ round-trip on a dense grid of z, both tails") {
  double worst = 0.0;
  for (int i = -3700; i <= 800; ++i) {
    const double z = i / 100.0;
    if (z == 0.0) continue;
    const double back =
        z < 0.0 ? normal_quantile(normal_cdf(z)) : normal_quantile_upper(normal_cdf(-z));
    worst = std::max(worst, relative_error(back, z));
  }
  INFO("worst relative round-trip error ", worst);
  // Φ's own relative error (~1e-16) is amplified by 1/(z·φ(z)/Φ(z)) ≈ 1/z² in the tail and by
  // Φ/(zφ) ≈ 1/z² near 0 as well: 1e-12 leaves room for both.
  CHECK(worst <= 1e-12);
}

TEST_CASE("normal: the shared tail is C¹, inverts, and does not stretch draws layer after layer") {
  const LinearLogTail tail{2.0, 3.5, 0.8, 1.0};  // edge x0 = 2, z0 = 3.5, slope 0.8, right tail
  const double B = LinearLogTail::kLinearSpan;
  for (double u : {1e-3, 0.5, B / 0.8 - 1e-9, B / 0.8 + 1e-9, 30.0, 1e6, 1e300}) {
    CAPTURE(u);
    const double x = 2.0 + u;
    CHECK(tail.x(tail.z(x)) == doctest::Approx(x).epsilon(1e-12));
    if (u < 1e5) {
      const double h = std::min(1e-6 * std::max(1.0, u), u / 2);  // stay beyond the edge
      const double numeric = (tail.z(x + h) - tail.z(x - h)) / (2 * h);
      CHECK(std::log(numeric) == doctest::Approx(tail.log_derivative(x)).epsilon(1e-6));
    }
  }
  // Continuous value and slope where the linear part ends (s·u = B).
  const double u_switch = B / 0.8;
  CHECK(tail.z(2.0 + u_switch) == doctest::Approx(3.5 + B).epsilon(1e-14));
  CHECK(tail.log_derivative(2.0 + u_switch + 1e-12) ==
        doctest::Approx(std::log(0.8)).epsilon(1e-9));
  // Far inputs stay finite both ways.
  CHECK(std::isfinite(tail.z(1e308)));
  CHECK(std::isfinite(tail.log_derivative(1e308)));
  // Within the linear part the inverse is affine: a latent step of 1 beyond z0 moves x by 1/s,
  // so feeding an inverse back as the next layer's latent grows like a geometric series of ratio
  // 1/s = 1.25 per step, not faster (the exponential inverse of a purely logarithmic tail did).
  double v = 3.6;
  for (int step = 0; step < 7; ++step) v = tail.x(v) - 2.0 + 3.5;
  CHECK(v < 3.5 + 0.1 * std::pow(1.25, 7) + 1e-9);
}
