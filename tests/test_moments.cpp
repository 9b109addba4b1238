#include "moments.hpp"
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
      CHECK(m.variance == doctest::Approx(variance).epsilon(1e-7));
    }
  }
}
