#include "support/samplers.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include <cmath>

namespace rbig::bench {
namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 6.28318530717958647693;
}  // namespace

double Rng::uniform() {
  // (k + 0.5) / 2^53 for k in [0, 2^53): never 0 or 1, so log(u) is always finite.
  return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double radius = std::sqrt(-2.0 * std::log(uniform()));
  const double angle = kTwoPi * uniform();
  spare_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

Matrix gaussian_sample(Index n, const Matrix& covariance, std::uint64_t seed) {
  Rng rng(seed);
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
  Rng rng(seed);
  Matrix a(dims, dims);
  for (Index i = 0; i < a.size(); ++i) a.data()[i] = rng.normal();
  const Eigen::HouseholderQR<Matrix> qr(a);
  const Matrix q = qr.householderQ();
  Vector eigenvalues(dims);
  for (Index i = 0; i < dims; ++i) eigenvalues[i] = 0.2 + 2.0 * rng.uniform();
  return q * eigenvalues.asDiagonal() * q.transpose();
}

Matrix two_moons_sample(Index n, double noise, std::uint64_t seed) {
  Rng rng(seed);
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

}  // namespace rbig::bench
