// The histogram's own estimator: its bins and their rule, the known-moments fit, and the damped
// blend built on it. The contracts every kind keeps are in test_marginal.cpp.

#include <rbig/marginal.hpp>

#include "marginal/marginal_damped.hpp"
#include "marginal/marginal_gaussian.hpp"
#include "marginal/marginal_histogram.hpp"
#include "stats/moments.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"
#include "support/marginal_kinds.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <string>

using namespace rbig;

namespace {

std::unique_ptr<detail::MarginalFromMoments> fitted(const Vector& x, std::optional<int> bins = {}) {
  FitOptions options;
  options.marginal = MarginalKind::Histogram;
  options.bins = bins;
  return test::fitted_marginal(options, x);
}

}  // namespace

TEST_CASE("histogram: a fit given known moments has the bins and map of one that computes them") {
  for (const char* shape : {"gaussian", "exponential", "bimodal"}) {
    INFO("shape = " << shape);
    const Vector x = test::shaped_sample(shape, 4000, 2);
    detail::HistogramMarginal own(std::nullopt);
    detail::HistogramMarginal given(std::nullopt);
    own.fit(x);
    given.fit(x, detail::column_moments(x));
    CHECK(given.lower_edge() == own.lower_edge());
    CHECK(given.bin_width() == own.bin_width());
    CHECK(given.bin_mass() == own.bin_mass());
    CHECK(given.tail_mass() == own.tail_mass());
    CHECK(given.training_entropy() == own.training_entropy());
    const Vector grid = Vector::LinSpaced(301, x.minCoeff() - 1.0, x.maxCoeff() + 1.0);
    Vector z_own(grid.size()), z_given(grid.size());
    own.forward(grid, z_own);
    given.forward(grid, z_given);
    CHECK(std::memcmp(z_own.data(), z_given.data(), sizeof(double) * 301) == 0);
    // The given moments are used, not recomputed: a wider range (outside the contract, but
    // harmless, every value still lies inside the support) widens the support.
    detail::ColumnMoments wider = detail::column_moments(x);
    wider.min -= 1.0;
    wider.max += 1.0;
    given.fit(x, wider);
    CHECK(given.lower_edge() < own.lower_edge());
  }
}

TEST_CASE("histogram: bin count follows Scott's rule on the extended range, or the option") {
  const Vector x = test::shaped_sample("gaussian", 8000, 4);
  const auto automatic = fitted(x);
  const auto& histogram = dynamic_cast<const detail::HistogramMarginal&>(*automatic);
  const double sd = 2.0;  // of test::shaped_sample("gaussian")
  const double support = 1.2 * (x.maxCoeff() - x.minCoeff());
  const double scott = support / (3.49 * sd * std::pow(8000.0, -1.0 / 3.0));
  CHECK(double(histogram.bin_mass().size()) == doctest::Approx(scott).epsilon(0.05));
  const auto fixed = fitted(x, 25);
  CHECK(dynamic_cast<const detail::HistogramMarginal&>(*fixed).bin_mass().size() == 25);
}

TEST_CASE("damped: a blend with the Gaussian map keeps every marginal contract") {
  for (const char* shape : {"gaussian", "exponential", "bimodal"}) {
    CAPTURE(std::string(shape));
    const Vector x = test::shaped_sample(shape, 3000, 9);
    detail::GaussianMarginal gaussian;
    gaussian.fit(x);
    for (double strength : {0.2, 0.7, 1.0}) {
      CAPTURE(strength);
      const detail::DampedMarginal damped(fitted(x), gaussian, strength);
      test::check_marginal_invariants(damped, x);
      const double range = x.maxCoeff() - x.minCoeff();
      // The blended density is steep near the exponential sample's minimum, where 2M midpoints
      // resolve it to about 4e-4 (8M points: 3e-5); elsewhere the rule is good to 1e-5.
      const double tolerance = std::string(shape) == "exponential" ? 5e-4 : 1e-5;
      const double integral = test::marginal_density_integral(damped, x.minCoeff() - 2 * range,
                                                              x.maxCoeff() + 2 * range, 2'000'000);
      CHECK(integral == doctest::Approx(1.0).epsilon(tolerance));
    }
  }
}
