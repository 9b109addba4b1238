// The fits behind the information estimates (InfoEstimate) and mutual information's radial
// route, T(X, Y) − T(X) − T(Y) with radial layers (issue 14, item 5).

#include <rbig/info.hpp>

#include "support/known_distributions.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <doctest/doctest.h>

#include <cmath>
#include <random>

using namespace rbig;

namespace {

constexpr Index kN = 3000;

double equicorrelated_mi(Index p) {
  const auto log_det = [](Index dims) {  // det(½I + ½·11ᵀ) = ½^(d−1)·(d + 1)/2
    const auto d = static_cast<double>(dims);
    return (d - 1) * std::log(0.5) + std::log(0.5 * (d + 1));
  };
  return 0.5 * (2.0 * log_det(p) - log_det(2 * p));
}

/// Entropy of the d-dimensional Student-t with ν degrees of freedom and identity scale.
double t_entropy(double nu, double d) {
  constexpr double kPi = 3.14159265358979323846;
  return std::lgamma(nu / 2) + 0.5 * d * std::log(nu * kPi) - std::lgamma((nu + d) / 2) +
         0.5 * (nu + d) * (boost::math::digamma((nu + d) / 2) - boost::math::digamma(nu / 2));
}

// Σ weight·T of the fits + other, and each fit's layers summing to its T.
void check_adds_up(const InfoEstimate& estimate) {
  double sum = estimate.other;
  for (const EstimateFit& fit : estimate.fits) {
    double layers = 0.0;
    for (const LayerReport& layer : fit.report.layers) layers += layer.info_reduction;
    CHECK(layers == doctest::Approx(fit.report.total_correlation).epsilon(1e-12));
    sum += fit.weight * fit.report.total_correlation;
  }
  CHECK(sum == doctest::Approx(estimate.value).epsilon(1e-12));
}

}  // namespace

TEST_CASE("info estimates: the value is the weighted fits plus the other terms") {
  const Matrix covariance = 0.5 * Matrix::Identity(4, 4) + 0.5 * Matrix::Ones(4, 4);
  const Matrix x = test::gaussian_sample(1000, covariance, 3);
  const InfoEstimate tc = total_correlation_estimate(x);
  CHECK(tc.value == total_correlation(x));
  REQUIRE(tc.fits.size() == 1);
  CHECK(tc.fits[0].dims == 4);
  CHECK(tc.fits[0].report.n_samples == 1000);
  check_adds_up(tc);
  const InfoEstimate h = entropy_estimate(x);
  CHECK(h.value == entropy(x));
  check_adds_up(h);
  const InfoEstimate mi = mutual_information_estimate(x.leftCols(2), x.rightCols(2));
  CHECK(mi.value == mutual_information(x.leftCols(2), x.rightCols(2)));
  check_adds_up(mi);
  const InfoEstimate kl = kl_divergence_estimate(x, x);
  CHECK(kl.value == kl_divergence(x, x));
  check_adds_up(kl);
}

TEST_CASE("info estimates: the radial route of mutual information keeps the Gaussian answer") {
  // Two 6-column equicorrelated blocks: the joint is elliptical, so radial layers may be chosen;
  // the blocks are whitened first, so T(X), T(Y) are near 0 and the difference is not a small
  // number from large ones. 5 % is issue 14's target for Gaussian MI.
  const Index p = 6;
  const Matrix covariance = 0.5 * Matrix::Identity(2 * p, 2 * p) + 0.5 * Matrix::Ones(2 * p, 2 * p);
  const Matrix x = test::gaussian_sample(kN, covariance, 29);
  FitOptions options;
  options.radial = true;
  const InfoEstimate mi = mutual_information_estimate(x.leftCols(p), x.rightCols(p), options);
  MESSAGE("radial I " << mi.value << " vs " << equicorrelated_mi(p));
  CHECK(std::abs(mi.value - equicorrelated_mi(p)) < 0.05 * equicorrelated_mi(p));
  REQUIRE(mi.fits.size() == 3);
  CHECK(mi.fits[0].weight == 1.0);
  CHECK(mi.fits[1].weight == -1.0);
  CHECK(mi.fits[2].weight == -1.0);
  check_adds_up(mi);
}

TEST_CASE("info estimates: radial layers recover the shared scale of a Student-t") {
  // X, Y the halves of a 6-D Student-t, ν = 1 (Cauchy), identity scale: uncorrelated, dependent
  // only through w. I = 2·h_3 − h_6 = 0.585 nats (h_d the entropy of the d-D t). Without radial
  // layers the estimate stays far below (bench/README.md: 16–35 % at 5 + 5); with them it is within
  // 20 % here.
  // One sample's estimate moves by ±0.08 nats with the last bits of the fit's sums (measured on 6
  // samples with `rbig mi --radial`: 0.58–0.81 nats), so the bar is on the mean of three samples.
  constexpr Index n = 5000;  // the N: at 3,000 this read 79 %
  const double analytic = 2.0 * t_entropy(1.0, 5.0) - t_entropy(1.0, 10.0);
  FitOptions options;
  options.radial = true;
  double radial_sum = 0.0;
  double plain_sum = 0.0;
  InfoEstimate radial;
  for (const std::uint64_t seed : {std::uint64_t{11}, std::uint64_t{12}, std::uint64_t{13}}) {
    std::mt19937_64 engine(seed);
    std::normal_distribution<double> normal;
    Matrix x(n, 10);
    for (Index i = 0; i < n; ++i) {
      const double w = 1.0 / std::abs(normal(engine));
      for (Index j = 0; j < 10; ++j) x(i, j) = w * normal(engine);
    }
    radial = mutual_information_estimate(x.leftCols(5), x.rightCols(5), options);
    const double plain = mutual_information(x.leftCols(5), x.rightCols(5));
    MESSAGE("seed " << seed << ": radial " << radial.value << ", plain " << plain << ", analytic "
                    << analytic);
    radial_sum += radial.value;
    plain_sum += plain;
  }
  const double radial_mean = radial_sum / 3.0;
  const double plain_mean = plain_sum / 3.0;
  CHECK(std::abs(radial_mean - analytic) < 0.2 * analytic);
  CHECK(radial.fits[0].radial_layers >= 1);
  CHECK(std::abs(radial_mean - analytic) < std::abs(plain_mean - analytic));
}
