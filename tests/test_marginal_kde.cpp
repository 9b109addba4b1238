// The kde's own estimator: the binned density against the direct kernel sum, its bandwidth rules
// and its tails beyond the grid. The contracts every kind keeps are in test_marginal.cpp.

#include <rbig/error.hpp>
#include <rbig/marginal.hpp>

#include "core/rng.hpp"
#include "marginal/marginal_kde.hpp"
#include "stats/normal.hpp"
#include "support/known_distributions.hpp"
#include "support/marginal_kinds.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

using namespace rbig;

namespace {

std::unique_ptr<detail::MarginalFromMoments> fitted(const Vector& x,
                                                    std::optional<double> bandwidth = {}) {
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.bandwidth = bandwidth;
  return test::fitted_marginal(options, x);
}

double sample_sd(const Vector& x) {
  const double mean = x.mean();
  return std::sqrt((x.array() - mean).square().sum() / double(x.size() - 1));
}

}  // namespace

TEST_CASE("kde: the binned density matches the direct kernel sum") {
  // Oracle: f(x) = (1/N)·Σ φ((x − x_i)/h)/h summed naively. The binned grid estimate differs by
  // O((step/h)²) ≈ 1/16² relative in the curvature term, plus the 1/(N+1) pseudo-sample share.
  const Vector x = test::shaped_sample("bimodal", 2000, 3);
  const auto marginal = fitted(x);
  const auto& kde = dynamic_cast<const detail::KdeMarginal&>(*marginal);
  const double h = kde.bandwidth();
  for (double at : {-6.0, -5.0, -4.2, 0.0, 4.0, 5.0, 6.5}) {
    CAPTURE(at);
    double direct = 0.0;
    for (Index i = 0; i < x.size(); ++i) {
      const double u = (at - x[i]) / h;
      direct += std::exp(-0.5 * u * u);
    }
    direct /= double(x.size()) * h * std::sqrt(2.0 * M_PI);
    Vector point(1), z(1), log_derivative(1);
    point << at;
    marginal->forward_with_log_derivative(point, z, log_derivative);
    const double density = std::exp(log_derivative[0] + detail::log_normal_pdf(z[0]));
    CHECK(density == doctest::Approx(direct).epsilon(0.01));
  }
}

TEST_CASE("kde: bandwidth follows Silverman's rule, or the option in standard deviations") {
  const Vector x = test::shaped_sample("gaussian", 8000, 4);
  std::vector<double> sorted(x.data(), x.data() + x.size());
  std::sort(sorted.begin(), sorted.end());
  const auto at = [&](double p) {
    const double position = p * double(sorted.size() - 1);
    const size_t below = static_cast<size_t>(position);
    return sorted[below] + (position - double(below)) * (sorted[below + 1] - sorted[below]);
  };
  const double sd = sample_sd(x);
  const double silverman =
      0.9 * std::min(sd, (at(0.75) - at(0.25)) / 1.34) * std::pow(8000.0, -0.2);
  const auto automatic = fitted(x);
  CHECK(dynamic_cast<const detail::KdeMarginal&>(*automatic).bandwidth() ==
        doctest::Approx(silverman).epsilon(1e-12));
  const auto fixed = fitted(x, 0.3);
  CHECK(dynamic_cast<const detail::KdeMarginal&>(*fixed).bandwidth() ==
        doctest::Approx(0.3 * sd).epsilon(1e-12));
  FitOptions options;
  options.bandwidth = 0.0;
  CHECK_THROWS_WITH_AS(options.validate(), doctest::Contains("bandwidth: must be in (0, 100]"),
                       OptionError);
}

TEST_CASE(
    "kde: beyond the grid the inverse steps at most 0.9 sd per latent unit, "
    "even for wide kernels") {
  // The bound that keeps draws through the tails of hundreds of layers finite (marginal_kde.cpp,
  // rebuild()). The kde's own spread is √(s² + h²) for sample sd s and bandwidth h.
  Vector x(5000);
  detail::Rng rng(71);
  for (Index i = 0; i < x.size(); ++i) x[i] = rng.normal();
  for (double bandwidth : {0.1, 0.3, 0.6}) {
    CAPTURE(bandwidth);
    const auto marginal = fitted(x, bandwidth);
    const double s = sample_sd(x);
    const double spread = std::sqrt(s * s + bandwidth * bandwidth * s * s);
    Vector z(4);
    z << 7.0, 9.0, -7.0, -9.0;  // beyond z0 = Φ⁻¹(1 − ¼/5001) ≈ 3.9: the linear tail
    Vector out(4);
    marginal->inverse(z, out);
    // 1 %: the estimate also holds the floor pseudo-sample, spread over the whole grid.
    CHECK(out[1] - out[0] <= 2.0 * 0.9 * spread * 1.01);
    CHECK(out[2] - out[3] <= 2.0 * 0.9 * spread * 1.01);
    CHECK(out[1] > out[0]);
    CHECK(out[2] > out[3]);
  }
}

TEST_CASE("kde: the grid stops at kKdeMaxNodes nodes, and the capped density still has mass one") {
  // Cauchy data: the range spans thousands of bandwidths, so one node per quarter bandwidth would
  // want far more nodes than the cap (checked below, so that the cap is what is tested).
  Vector x(4000);
  detail::Rng rng(5);
  for (Index i = 0; i < x.size(); ++i) x[i] = std::tan(M_PI * (rng.uniform() - 0.5));
  const auto marginal = fitted(x);
  const auto& kde = dynamic_cast<const detail::KdeMarginal&>(*marginal);
  const double h = kde.bandwidth();
  const double wanted = (x.maxCoeff() - x.minCoeff() + 8.0 * h) / (h / 4.0) + 1.0;
  REQUIRE(wanted > 4.0 * detail::kKdeMaxNodes);
  const std::vector<double>& density = kde.density();
  CHECK(static_cast<Index>(density.size()) == detail::kKdeMaxNodes);
  // The grid still spans the data (with the 4h margins), at a coarser spacing.
  CHECK(kde.lower_node() < x.minCoeff());
  CHECK(kde.lower_node() + kde.step() * double(density.size() - 1) > x.maxCoeff());
  // Piecewise-linear density between nodes (trapezoids) plus the two tails: mass one.
  double mass = 2.0 * kde.tail_mass();
  for (size_t j = 0; j + 1 < density.size(); ++j)
    mass += 0.5 * kde.step() * (density[j] + density[j + 1]);
  CHECK(mass == doctest::Approx(1.0).epsilon(1e-12));
  // A sample whose grid fits under the cap keeps one node per quarter bandwidth.
  const auto gaussian = fitted(test::shaped_sample("gaussian", 4000, 6));
  const auto& narrow = dynamic_cast<const detail::KdeMarginal&>(*gaussian);
  CHECK(narrow.density().size() < static_cast<size_t>(detail::kKdeMaxNodes));
  CHECK(narrow.step() == doctest::Approx(narrow.bandwidth() / 4.0).epsilon(0.05));
}

TEST_CASE("kde: the batched maps give map()'s bits value by value, beyond the grid and in place") {
  // Cubed Gaussian training data: far tails, so Φ⁻¹'s tail formula (and its far branch, p <
  // 1.4e-11 near the grid ends) is taken; inputs cover the grid, both tails beyond it, NaN and
  // the grid's end nodes, in a length that leaves a partial last chunk.
  const Vector train =
      test::gaussian_sample(4000, Matrix::Identity(1, 1), 21).col(0).array().cube();
  const auto marginal = fitted(train);
  const auto& kde = dynamic_cast<const detail::KdeMarginal&>(*marginal);
  const std::vector<double> nodes = kde.breakpoints();
  Vector x = test::gaussian_sample(1301, Matrix::Identity(1, 1), 22).col(0).array().cube() * 1.5;
  x[0] = nodes.front();
  x[1] = nodes.back();
  x[2] = std::nextafter(nodes.front(), -INFINITY);
  x[3] = std::nextafter(nodes.back(), INFINITY);
  x[4] = std::numeric_limits<double>::quiet_NaN();
  x[5] = nodes[nodes.size() / 2];
  x[6] = 0.5 * (nodes[7] + nodes[8]);
  Vector z(x.size()), z_with(x.size()), log_derivative(x.size()), only_log(x.size());
  marginal->forward(x, z);
  marginal->forward_with_log_derivative(x, z_with, log_derivative);
  marginal->log_derivative(x, only_log);
  Vector in_place = x;
  marginal->forward(in_place, in_place);
  const auto same = [](double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
  };
  int tails = 0;
  for (Index i = 0; i < x.size(); ++i) {
    CAPTURE(i);
    CAPTURE(x[i]);
    const detail::KdeMarginal::Point point = kde.map(x[i]);
    CHECK(same(z[i], point.z));
    CHECK(same(z_with[i], point.z));
    CHECK(same(in_place[i], point.z));
    CHECK(same(log_derivative[i], point.log_derivative));
    CHECK(same(only_log[i], point.log_derivative));
    if (std::abs(point.z) > 1.44) ++tails;  // |Φ⁻¹(p)| > 1.44 ⇔ p < 0.075: the tail formula
  }
  CHECK(tails > 100);
}
