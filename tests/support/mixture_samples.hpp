#pragma once
// Rows drawn from a Gaussian mixture, for the mixture tests (test_mixture*.cpp).

#include <rbig/mixture.hpp>

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

}  // namespace rbig::test
