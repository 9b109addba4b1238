#include "normal.hpp"

#include <doctest/doctest.h>

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
