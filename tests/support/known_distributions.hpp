#pragma once
// Samplers with exactly known densities and entropies, and a two-sample test: the oracles the
// model tests compare against.

#include <rbig/types.hpp>

#include <cstdint>
#include <string>

namespace rbig::test {

/// n draws from N(0, covariance).
Matrix gaussian_sample(Index n, const Matrix& covariance, std::uint64_t seed);
/// log N(x; 0, covariance) per row.
Vector gaussian_log_density(ConstMatrixRef x, const Matrix& covariance);
/// Differential entropy of N(·, covariance) in nats: ½·log det(2πe·Σ).
double gaussian_entropy(const Matrix& covariance);
/// A random covariance with unit-ish variances and substantial correlations.
Matrix random_covariance(Index dims, std::uint64_t seed);

/// 1-D samples for marginal tests: "gaussian" N(3, 2²), "uniform" U(0, 1), "exponential" with
/// mean 1e-3, "bimodal" 0.3·N(−5, 1) + 0.7·N(5, 1): smooth, bounded, skewed and multimodal.
Vector shaped_sample(const std::string& shape, Index n, std::uint64_t seed);

/// Points on a circle of radius 1 plus N(0, 0.1²) noise in each coordinate.
Matrix ring_sample(Index n, std::uint64_t seed);
/// Two interleaved half circles plus N(0, noise²) noise (scikit-learn's make_moons).
Matrix two_moons_sample(Index n, double noise, std::uint64_t seed);

/// Neal's funnel: v ~ N(0, 1.5²), x | v ~ N(0, e^v); columns (v, x).
Matrix funnel_sample(Index n, std::uint64_t seed);
/// The funnel's log-density per row.
Vector funnel_log_density(ConstMatrixRef x);

/// p-value of the energy-distance two-sample test (Székely & Rizzo 2004) by `permutations`
/// seeded permutations: small values mean a and b come from different distributions.
double energy_test_p_value(ConstMatrixRef a, ConstMatrixRef b, int permutations,
                           std::uint64_t seed);

}  // namespace rbig::test
