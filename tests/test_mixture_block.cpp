// The mixture's per-block density arithmetic (mixture/component_block.hpp) against the textbook
// formula: the log-density of MixtureMap equals log Σ_k π_k (2π)^(−D/2) |Σ_k|^(−1/2)
// exp(−½ (x − μ_k)ᵀ Σ_k⁻¹ (x − μ_k)), computed here with Σ⁻¹ and |Σ| (no Cholesky factor, no
// forward substitution); the row-wise log-sum-exp survives entries whose exp underflows and
// normalises to one, and gives −inf for a row beyond every component; EM approaches a known
// mixture's held-out log-likelihood on both sides of the scatter matrix's dot-product path (D ≤ 4
// and D > 4, mixture_em.cpp).

#include <rbig/mixture.hpp>

#include "mixture/component_block.hpp"
#include "support/mixture_samples.hpp"

#include <doctest/doctest.h>

#include <Eigen/LU>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace rbig;

namespace {

/// A K-component mixture in D dimensions with random means (spread ±3) and random full
/// covariances A Aᵀ + 0.2 I; weights 1..K normalised.
MixtureMap random_mixture(Index k, Index dims, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Vector weights(k);
  Matrix means(k, dims);
  std::vector<Matrix> covariances;
  for (Index c = 0; c < k; ++c) {
    weights[c] = static_cast<double>(c + 1);
    for (Index d = 0; d < dims; ++d) means(c, d) = 3.0 * normal(rng);
    Matrix a(dims, dims);
    for (Index i = 0; i < a.size(); ++i) a.data()[i] = 0.6 * normal(rng);
    Matrix sigma = a * a.transpose() + 0.2 * Matrix::Identity(dims, dims);
    sigma = 0.5 * (sigma + sigma.transpose()).eval();
    covariances.push_back(sigma);
  }
  weights /= weights.sum();
  return MixtureMap(weights, means, covariances);
}

/// The textbook log-density: each term from Σ⁻¹ and |Σ|, summed in log space from the largest.
double textbook_log_density(const MixtureMap& mixture, const Eigen::RowVectorXd& x) {
  const Index dims = mixture.dims();
  std::vector<double> terms;
  for (Index c = 0; c < mixture.components(); ++c) {
    const Matrix& sigma = mixture.covariances()[static_cast<size_t>(c)];
    const Eigen::RowVectorXd d = x - mixture.means().row(c);
    const double quadratic = d * sigma.inverse() * d.transpose();
    terms.push_back(std::log(mixture.weights()[c]) - 0.5 * std::log(sigma.determinant()) -
                    0.5 * static_cast<double>(dims) * std::log(2.0 * M_PI) - 0.5 * quadratic);
  }
  double top = -std::numeric_limits<double>::infinity();
  for (double t : terms) top = std::max(top, t);
  double sum = 0.0;
  for (double t : terms) sum += std::exp(t - top);
  return top + std::log(sum);
}

}  // namespace

TEST_CASE("mixture log-density: each row is the textbook sum of its components' normals") {
  for (const Index dims : {1, 3, 6}) {
    const MixtureMap mixture = random_mixture(5, dims, 40 + static_cast<std::uint64_t>(dims));
    // Rows from the mixture, and rows 40 and 400 units away, where every term's exp underflows.
    Matrix x = test::sample_mixture(mixture, 600, 7);
    x.row(0).setConstant(40.0);
    x.row(1).setConstant(-400.0);
    const Vector fast = mixture.log_density(x);
    for (Index i = 0; i < x.rows(); ++i) {
      const double expected = textbook_log_density(mixture, x.row(i));
      INFO("D = " << dims << ", row " << i);
      REQUIRE(std::isfinite(fast[i]));
      CHECK(fast[i] == doctest::Approx(expected).epsilon(1e-10));
    }
    // So far that every squared distance overflows: log p = −inf, not NaN.
    const Matrix beyond = Matrix::Constant(1, dims, 1e200);
    CHECK(mixture.log_density(beyond)[0] == -std::numeric_limits<double>::infinity());
  }
}

TEST_CASE("mixture log-sum-exp by rows: underflowing entries, normalised weights, bad rows, −inf") {
  const double inf = std::numeric_limits<double>::infinity();
  Matrix terms(5, 3);
  terms << 0.0, std::log(2.0), std::log(5.0),              // sums to 8
      -1000.0, -1000.0 + std::log(3.0), -1001.0,           // every exp underflows unshifted
      -inf, 2.0, 2.0,                                      // a component of zero weight
      std::numeric_limits<double>::quiet_NaN(), 0.0, 0.0,  // reported as not finite
      -inf, -inf, -inf;                                    // too far from every component
  Vector log_sum(5);
  detail::log_sum_exp_rows(terms, log_sum, true);
  CHECK(log_sum[0] == doctest::Approx(std::log(8.0)).epsilon(1e-14));
  CHECK(log_sum[1] == doctest::Approx(-1000.0 + std::log(4.0 + std::exp(-1.0))).epsilon(1e-14));
  CHECK(log_sum[2] == doctest::Approx(2.0 + std::log(2.0)).epsilon(1e-14));
  CHECK_FALSE(std::isfinite(log_sum[3]));
  CHECK(log_sum[4] == -inf);
  for (Index i = 0; i < 3; ++i) CHECK(terms.row(i).sum() == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(terms(0, 2) == doctest::Approx(5.0 / 8.0).epsilon(1e-14));
  // Zero up to Eigen's vectorized exp, which clamps its argument near −709 (a 1e-309 result).
  CHECK(terms(2, 0) < 1e-300);
}

TEST_CASE("mixture fit: EM approaches a known mixture held out, 3-D and 6-D") {
  // D = 3 takes the scatter's dot products, D = 6 its matrix product (mixture_em.cpp).
  for (const Index dims : {3, 6}) {
    const MixtureMap truth = random_mixture(3, dims, 90 + static_cast<std::uint64_t>(dims));
    const Matrix x = test::sample_mixture(truth, 6000, 11);
    const Matrix fresh = test::sample_mixture(truth, 6000, 12);
    const MixtureMap fitted = MixtureMap::fit(x, 3, 5);
    const double gap = truth.log_density(fresh).mean() - fitted.log_density(fresh).mean();
    INFO("D = " << dims << ": held-out KL gap of the EM fit " << gap);
    CHECK(gap > -0.02);
    CHECK(gap < 0.02);
  }
}
