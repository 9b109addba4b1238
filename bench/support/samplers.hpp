#pragma once
// Seeded random draws and samplers of known distributions for the benchmarks, with the exact
// Gaussian log density and entropy the benches compare against. Built on the public types only,
// so the benches need nothing from lib/src or tests/.

#include <rbig/types.hpp>

#include <cstdint>
#include <random>

namespace rbig::bench {

/// std::mt19937_64 with its own uniform and normal transforms: the same draws as the library's
/// Rng (lib/src/core/rng.cpp), so the data sets, and the tables in bench/README.md measured on
/// them, stay comparable with earlier runs. (std::*_distribution outputs differ between
/// standard libraries, and would change every data set.)
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  /// Uniform on the open interval (0, 1), 53 random bits.
  double uniform();
  /// Standard normal by the Box–Muller transform (the second value of each pair is kept).
  double normal();

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

/// n draws from N(0, covariance).
Matrix gaussian_sample(Index n, const Matrix& covariance, std::uint64_t seed);
/// log N(x; 0, covariance) per row.
Vector gaussian_log_density(ConstMatrixRef x, const Matrix& covariance);
/// Differential entropy of N(·, covariance) in nats: ½·log det(2πe·Σ).
double gaussian_entropy(const Matrix& covariance);
/// A random covariance Q·diag(λ)·Qᵀ, Q a random orthogonal matrix, λ uniform in [0.2, 2.2]:
/// unit-ish variances and substantial correlations.
Matrix random_covariance(Index dims, std::uint64_t seed);
/// Two interleaved half circles plus N(0, noise²) noise in each coordinate (scikit-learn's
/// make_moons), the draw order of the test suite's two_moons_sample.
Matrix two_moons_sample(Index n, double noise, std::uint64_t seed);

}  // namespace rbig::bench
