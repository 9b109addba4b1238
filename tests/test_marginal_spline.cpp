// The spline's own estimator: its knots at sample quantiles and ties among them. The contracts
// every kind keeps are in test_marginal.cpp.

#include <rbig/marginal.hpp>

#include "marginal/marginal_spline.hpp"
#include "stats/normal.hpp"
#include "support/invariants.hpp"
#include "support/known_distributions.hpp"
#include "support/marginal_kinds.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace rbig;

TEST_CASE("spline: knots are clamp(√N, 20, 500) + 1 quantiles, and F passes through them") {
  for (Index n : {100, 10000, 1000000}) {
    CAPTURE(n);
    const Vector x = test::shaped_sample("gaussian", n, 3);
    const auto marginal = test::fitted_marginal(MarginalKind::Spline, x);
    const auto& spline = dynamic_cast<const detail::SplineMarginal&>(*marginal);
    const Index intervals =
        std::clamp<Index>(static_cast<Index>(std::lround(std::sqrt(double(n)))), 20, 500);
    REQUIRE(Index(spline.knots().size()) == intervals + 1);
    CHECK(spline.knots().front() == x.minCoeff());
    CHECK(spline.knots().back() == x.maxCoeff());
    // F(x_k) = τ + a·k/K + b·(x_k − x_0)/(x_K − x_0), a = 1 − 2τ − b, τ = 1/(N+1) per tail and
    // b = ½/(N+1) of floor: within 2.5/(N+1) of the empirical level k/K.
    const Eigen::Map<const Vector> knots(spline.knots().data(), Index(spline.knots().size()));
    Vector z(knots.size());
    marginal->forward(knots, z);
    for (Index k = 0; k <= intervals; ++k) {
      CHECK(std::abs(detail::normal_cdf(z[k]) - double(k) / double(intervals)) <=
            2.5 / double(n + 1) + 1e-12);
    }
    // The knots are sample quantiles to within one bin of the refined histogram they are read
    // from (stats/refined_histogram.hpp): at most max(1, N/1,024) values off the type-7 rank.
    std::vector<double> sorted(x.begin(), x.end());
    std::sort(sorted.begin(), sorted.end());
    const double cap = std::max(1.0, double(n) / 1024.0);
    for (Index k = 1; k < intervals; ++k) {
      const double rank = double(k) / double(intervals) * double(n - 1) + 0.5;
      const auto below =
          double(std::lower_bound(sorted.begin(), sorted.end(), knots[k]) - sorted.begin());
      CHECK(std::abs(below - rank) <= cap + 1.0);
    }
  }
}

TEST_CASE("spline: tied quantiles collapse to one knot and the map stays strictly increasing") {
  Vector x = test::shaped_sample("uniform", 2000, 4);
  for (Index i = 0; i < 1200; ++i) x[i] = 0.5;  // 60% of the sample at one value
  const auto marginal = test::fitted_marginal(MarginalKind::Spline, x);
  const auto& spline = dynamic_cast<const detail::SplineMarginal&>(*marginal);
  CHECK(std::adjacent_find(spline.knots().begin(), spline.knots().end(),
                           [](double a, double b) { return !(b > a); }) == spline.knots().end());
  test::check_marginal_invariants(*marginal, x);
}
