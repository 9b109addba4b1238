// make_marginal_from_moments: every kind's fit from known moments is its ordinary fit.

#include <rbig/error.hpp>
#include <rbig/marginal.hpp>

#include "marginal/marginal_from_moments.hpp"
#include "stats/moments.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <memory>

using namespace rbig;

namespace {

bool same_bytes(const Vector& a, const Vector& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<size_t>(a.size())) == 0;
}

}  // namespace

TEST_CASE("marginal: every kind fitted with its known moments gives the map of its own fit") {
  const Vector x = test::shaped_sample("bimodal", 3000, 4);
  const detail::ColumnMoments moments = detail::column_moments(x);
  // A grid over the data and both tails: every piece of each map.
  const Vector grid = Vector::LinSpaced(401, moments.min - 5.0, moments.max + 5.0);
  for (MarginalKind kind : {MarginalKind::Histogram, MarginalKind::Kde, MarginalKind::Spline,
                            MarginalKind::Gaussian}) {
    CAPTURE(to_string(kind));
    const std::unique_ptr<detail::MarginalFromMoments> own =
        detail::make_marginal_from_moments(kind, FitOptions{});
    const std::unique_ptr<detail::MarginalFromMoments> given =
        detail::make_marginal_from_moments(kind, FitOptions{});
    own->fit(x);
    given->fit(x, moments);
    Vector z_own(grid.size()), z_given(grid.size()), d_own(grid.size()), d_given(grid.size());
    own->forward_with_log_derivative(grid, z_own, d_own);
    given->forward_with_log_derivative(grid, z_given, d_given);
    CHECK(same_bytes(z_own, z_given));
    CHECK(same_bytes(d_own, d_given));
    CHECK(own->training_entropy() == given->training_entropy());
    CHECK(own->training_moments().mean == given->training_moments().mean);
    CHECK(own->training_moments().sd == given->training_moments().sd);
  }
}

TEST_CASE("marginal: known moments of a constant or too short sample are refused as by fit") {
  const Vector x = Vector::Constant(5, 2.5);
  const detail::ColumnMoments constant{2.5, 2.5, 2.5, 0.0};
  for (MarginalKind kind : {MarginalKind::Histogram, MarginalKind::Kde, MarginalKind::Spline,
                            MarginalKind::Gaussian}) {
    CAPTURE(to_string(kind));
    const std::unique_ptr<detail::MarginalFromMoments> marginal =
        detail::make_marginal_from_moments(kind, FitOptions{});
    CHECK_THROWS_WITH_AS(marginal->fit(x, constant),
                         doctest::Contains("all 5 values equal 2.5 (constant dimension)"),
                         NumericalError);
    CHECK_THROWS_WITH_AS(marginal->fit(x.head(1), constant),
                         doctest::Contains("need at least 2 samples (got 1)"), NumericalError);
  }
}
