#pragma once
// Rows drawn from a Gaussian mixture and fit options, for the mixture tests (test_mixture*.cpp).

#include <rbig/mixture.hpp>
#include <rbig/options.hpp>

#include <random>

namespace rbig::test {

/// Rows drawn from `mixture` through its own inverse (exact when the inverse is).
inline Matrix sample_mixture(const MixtureMap& mixture, Index n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Matrix z(n, mixture.dims());
  for (Index i = 0; i < z.size(); ++i) z.data()[i] = normal(rng);
  Vector log_det = Vector::Zero(n);
  mixture.inverse(z, log_det);
  return z;
}

/// One fixed configuration (kde, Silverman's bandwidth, damping 1, one thread): the mixture
/// fits' options without the model selection's candidates.
inline FitOptions kde_fit_options(std::uint64_t seed) {
  FitOptions options;
  options.marginal = MarginalKind::Kde;
  options.damping = 1.0;
  options.bandwidth_rule = BandwidthRule::Silverman;
  options.seed = seed;
  options.threads = 1;
  return options;
}

}  // namespace rbig::test
