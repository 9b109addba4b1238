#include "stats/moments.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace rbig;

TEST_CASE("moments: one pass gives the two-pass range, mean and variance, far from zero too") {
  for (Index n : {2, 3, 7, 1001}) {     // every remainder of the four-lane loop
    for (double offset : {0.0, 1e8}) {  // a large common offset must not cancel the variance
      CAPTURE(n);
      CAPTURE(offset);
      const Vector x = test::gaussian_sample(n, Matrix::Identity(1, 1), 3).col(0).array() + offset;
      const detail::ColumnMoments m = detail::column_moments(x);
      const double mean = x.mean();
      const double variance = (x.array() - mean).square().sum() / static_cast<double>(n - 1);
      CHECK(m.min == x.minCoeff());
      CHECK(m.max == x.maxCoeff());
      CHECK(m.mean == doctest::Approx(mean).epsilon(1e-14));
      CHECK(m.sd == doctest::Approx(std::sqrt(variance)).epsilon(1e-7));
    }
  }
}

TEST_CASE("moments: columns of 1e-300 and of 1e300 get their finite standard deviation") {
  const Vector x = test::gaussian_sample(500, Matrix::Identity(1, 1), 4).col(0);
  const detail::ColumnMoments unit = detail::column_moments(x);
  // 1e-310: subnormal values; 2^±397 and 2^±403 put the half-range (about 3·scale) on either side
  // of the one-pass limits 2^±400, so both paths are compared with the unit column.
  for (double scale : {1e-300, 1e300, 1e-310, 0x1p-403, 0x1p-397, 0x1p397, 0x1p403}) {
    CAPTURE(scale);
    const detail::ColumnMoments m = detail::column_moments(x * scale);
    REQUIRE(std::isfinite(m.sd));
    REQUIRE(m.sd > 0.0);
    CHECK(m.sd / scale == doctest::Approx(unit.sd).epsilon(scale < 1e-305 ? 1e-3 : 1e-12));
    CHECK(m.mean / scale == doctest::Approx(unit.mean).epsilon(scale < 1e-305 ? 1e-3 : 1e-12));
  }
  // The full double range in one column: the half-range is computed without overflow.
  Vector wide(3);
  wide << -1.5e308, 0.0, 1.5e308;
  CHECK(std::isfinite(detail::column_moments(wide).sd));
}
