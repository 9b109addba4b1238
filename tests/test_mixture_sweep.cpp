// The mixture layer's cheap K sweep (fit/mixture_step.cpp): a split keeps each component's
// weight, mean and covariance; EM from a warm start never lowers the training likelihood; the
// sweep lands near a known mixture's held-out log-likelihood.

#include <rbig/error.hpp>
#include <rbig/mixture.hpp>
#include <rbig/options.hpp>

#include "fit/mixture_step.hpp"
#include "mixture/mixture_split.hpp"
#include "support/mixture_samples.hpp"

#include <doctest/doctest.h>

using namespace rbig;

namespace {

/// Four unequal, correlated 2-D components, well apart.
MixtureMap four_components() {
  Vector weights(4);
  weights << 0.4, 0.3, 0.2, 0.1;
  Matrix means(4, 2);
  means << -3.0, 0.0, 3.0, 1.0, 0.0, -3.0, 0.5, 3.5;
  Matrix a(2, 2), b(2, 2), c(2, 2), d(2, 2);
  a << 1.0, 0.6, 0.6, 0.8;
  b << 0.3, -0.2, -0.2, 0.5;
  c << 2.0, 0.0, 0.0, 0.1;
  d << 0.2, 0.0, 0.0, 0.2;
  return MixtureMap(weights, means, {a, b, c, d});
}

/// The mixture's overall mean and covariance, Σ π_k (Σ_k + μ_k μ_kᵀ) − μ μᵀ.
std::pair<Vector, Matrix> moments(const MixtureMap& m) {
  const Vector mean = m.means().transpose() * m.weights();
  Matrix second = Matrix::Zero(m.dims(), m.dims());
  for (Index c = 0; c < m.components(); ++c) {
    const Vector mu = m.means().row(c).transpose();
    second += m.weights()[c] * (m.covariances()[static_cast<size_t>(c)] + mu * mu.transpose());
  }
  return {mean, second - mean * mean.transpose()};
}

}  // namespace

TEST_CASE("mixture split: the pairs keep the mixture's weights, mean and covariance") {
  const MixtureMap start = four_components();
  const auto [mean, cov] = moments(start);
  for (const int k : {4, 5, 7, 8}) {
    const MixtureMap grown = detail::split_components(start, k);
    REQUIRE(grown.components() == k);
    CHECK(grown.weights().sum() == doctest::Approx(1.0).epsilon(1e-15));
    const auto [grown_mean, grown_cov] = moments(grown);
    INFO("K = " << k);
    CHECK((grown_mean - mean).cwiseAbs().maxCoeff() < 1e-12);
    CHECK((grown_cov - cov).cwiseAbs().maxCoeff() < 1e-12);
  }
  // The widest heavy component (the first: weight 0.4, sd ≈ 1.2 on its axis) is split first.
  const MixtureMap five = detail::split_components(start, 5);
  CHECK(five.weights()[0] == doctest::Approx(0.2));
  CHECK(five.weights()[1] == doctest::Approx(0.2));
  CHECK_THROWS_AS(detail::split_components(start, 3), OptionError);
  CHECK_THROWS_AS(detail::split_components(start, 9), OptionError);
}

TEST_CASE("mixture refine: EM from a warm start never lowers the training likelihood") {
  const MixtureMap truth = four_components();
  const Matrix x = test::sample_mixture(truth, 3000, 11);
  MixtureMap current = MixtureMap::fit(x, 1, 5);
  for (const int k : {2, 3, 4}) {
    const MixtureMap split = detail::split_components(current, k);
    MixtureSettings few;
    few.max_iterations = 5;
    const MixtureMap refined = MixtureMap::refine(x, split, few);
    INFO("K = " << k);
    CHECK(refined.log_density(x).mean() >= split.log_density(x).mean() - 1e-12);
    current = MixtureMap::refine(x, refined);
    CHECK(current.log_density(x).mean() >= refined.log_density(x).mean() - 1e-12);
  }
  CHECK_THROWS_AS(MixtureMap::refine(Matrix::Zero(10, 3), current), DimensionError);
}

TEST_CASE("mixture sweep: the chosen K lands near a known mixture held out") {
  const MixtureMap truth = four_components();
  const Matrix train = test::sample_mixture(truth, 4000, 21);
  const Matrix validation = test::sample_mixture(truth, 1000, 22);
  const Matrix fresh = test::sample_mixture(truth, 4000, 23);
  FitOptions options;
  options.seed = 3;
  const std::optional<detail::MixtureChoice> choice =
      detail::choose_mixture(train, validation, options);
  REQUIRE(choice.has_value());
  INFO(choice->scores);
  CHECK(choice->map.components() >= 4);
  const double gap = truth.log_density(fresh).mean() - choice->map.log_density(fresh).mean();
  INFO("held-out KL gap of the chosen mixture: " << gap);
  CHECK(gap > -0.02);
  CHECK(gap < 0.02);
  CHECK(choice->validation_log_prob == doctest::Approx(choice->map.log_density(validation).mean()));
}
