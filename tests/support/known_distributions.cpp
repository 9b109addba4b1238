#include "support/known_distributions.hpp"

#include "core/rng.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <random>
#include <numeric>
#include <vector>

namespace rbig::test {
namespace {
constexpr double kPi = 3.14159265358979323846;
}

Matrix gaussian_sample(Index n, const Matrix& covariance, std::uint64_t seed) {
  detail::Rng rng(seed);
  Matrix z(n, covariance.rows());
  for (Index r = 0; r < n; ++r) {
    for (Index c = 0; c < z.cols(); ++c) z(r, c) = rng.normal();
  }
  const Eigen::LLT<Matrix> llt(covariance);
  const Matrix lower = llt.matrixL();
  return z * lower.transpose();
}

Vector gaussian_log_density(ConstMatrixRef x, const Matrix& covariance) {
  const Eigen::LLT<Matrix> llt(covariance);
  const Matrix lower = llt.matrixL();
  const double log_det = 2.0 * lower.diagonal().array().log().sum();
  const Matrix whitened = lower.triangularView<Eigen::Lower>().solve(x.transpose());
  const double d = static_cast<double>(covariance.rows());
  const Vector quadratic = whitened.colwise().squaredNorm().transpose();
  return (-0.5 * quadratic.array() - 0.5 * (d * std::log(2.0 * kPi) + log_det)).matrix();
}

double gaussian_entropy(const Matrix& covariance) {
  const Eigen::LLT<Matrix> llt(covariance);
  const Matrix lower = llt.matrixL();
  const double log_det = 2.0 * lower.diagonal().array().log().sum();
  const double d = static_cast<double>(covariance.rows());
  return 0.5 * (d * std::log(2.0 * kPi * std::exp(1.0)) + log_det);
}

Matrix random_covariance(Index dims, std::uint64_t seed) {
  detail::Rng rng(seed);
  Matrix a(dims, dims);
  for (Index i = 0; i < a.size(); ++i) a.data()[i] = rng.normal();
  const Eigen::HouseholderQR<Matrix> qr(a);
  const Matrix q = qr.householderQ();
  Vector eigenvalues(dims);
  for (Index i = 0; i < dims; ++i) eigenvalues[i] = 0.2 + 2.0 * rng.uniform();
  return q * eigenvalues.asDiagonal() * q.transpose();
}

Vector shaped_sample(const std::string& shape, Index n, std::uint64_t seed) {
  detail::Rng rng(seed);
  Vector x(n);
  for (Index i = 0; i < n; ++i) {
    if (shape == "gaussian") x[i] = 3.0 + 2.0 * rng.normal();
    if (shape == "uniform") x[i] = rng.uniform();
    if (shape == "exponential") x[i] = -std::log(rng.uniform()) * 1e-3;
    if (shape == "bimodal") x[i] = (rng.uniform() < 0.3 ? -5.0 : 5.0) + rng.normal();
  }
  return x;
}

Matrix ring_sample(Index n, std::uint64_t seed) {
  detail::Rng rng(seed);
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    const double angle = 2.0 * kPi * rng.uniform();
    x(i, 0) = std::cos(angle) + 0.1 * rng.normal();
    x(i, 1) = std::sin(angle) + 0.1 * rng.normal();
  }
  return x;
}

Matrix funnel_sample(Index n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    x(i, 0) = 1.5 * normal(rng);
    x(i, 1) = std::exp(0.5 * x(i, 0)) * normal(rng);
  }
  return x;
}

Vector funnel_log_density(ConstMatrixRef x) {
  const double log_sqrt_2pi = 0.5 * std::log(2.0 * kPi);
  Vector log_p(x.rows());
  for (Index i = 0; i < x.rows(); ++i) {
    const double v = x(i, 0);
    log_p[i] = -2.0 * log_sqrt_2pi - std::log(1.5) - 0.5 * (v / 1.5) * (v / 1.5) - 0.5 * v -
               0.5 * x(i, 1) * x(i, 1) * std::exp(-v);
  }
  return log_p;
}

Matrix two_moons_sample(Index n, double noise, std::uint64_t seed) {
  detail::Rng rng(seed);
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    const double t = kPi * rng.uniform();
    if (rng.uniform() < 0.5) {
      x(i, 0) = std::cos(t);
      x(i, 1) = std::sin(t);
    } else {
      x(i, 0) = 1.0 - std::cos(t);
      x(i, 1) = 0.5 - std::sin(t);
    }
    x(i, 0) += noise * rng.normal();
    x(i, 1) += noise * rng.normal();
  }
  return x;
}

double energy_test_p_value(ConstMatrixRef a, ConstMatrixRef b, int permutations,
                           std::uint64_t seed) {
  const Index na = a.rows();
  const Index n = na + b.rows();
  Matrix pooled(n, a.cols());
  pooled << a, b;
  Matrix distance(n, n);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < n; ++i) distance(i, j) = (pooled.row(i) - pooled.row(j)).norm();
  }
  // E = 2·mean d(A,B) − mean d(A,A) − mean d(B,B), for a labelling of the pooled points.
  const auto statistic = [&](const std::vector<Index>& order) {
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (Index i = 0; i < n; ++i) {
      for (Index j = 0; j < n; ++j) {
        const double dij = distance(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
        if (i < na && j < na)
          aa += dij;
        else if (i >= na && j >= na)
          bb += dij;
        else
          ab += dij;
      }
    }
    const double nb = static_cast<double>(n - na);
    const double da = static_cast<double>(na);
    return ab / (da * nb) - aa / (da * da) - bb / (nb * nb);
  };
  std::vector<Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  const double observed = statistic(order);
  detail::Rng rng(seed);
  int at_least = 0;
  for (int p = 0; p < permutations; ++p) {
    for (size_t i = order.size() - 1; i > 0; --i) {  // Fisher–Yates with our own uniform draws
      const auto j = static_cast<size_t>(rng.uniform() * static_cast<double>(i + 1));
      std::swap(order[i], order[std::min(j, i)]);
    }
    if (statistic(order) >= observed) ++at_least;
  }
  return (at_least + 1.0) / (permutations + 1.0);
}

}  // namespace rbig::test
