#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "parallel.hpp"

#include <algorithm>
#include <vector>

namespace rbig {

Matrix Rotation::covariance(ConstMatrixRef y, int threads) {
  const Index n = y.rows();
  const Index d = y.cols();
  if (n < 2) throw NumericalError(fmt::format("pca: need at least 2 rows (got {})", n));
  // A fixed number of contiguous row ranges (it depends on N only, never on the thread count),
  // each summing its own YᵀY and column sums; at most kMaxItems partial D×D matrices at a time.
  constexpr Index kMinItemRows = 8192;
  constexpr Index kMaxItems = 16;
  const Index blocks = std::clamp<Index>(n / kMinItemRows, 1, kMaxItems);
  const Index item_rows = (n + blocks - 1) / blocks;
  std::vector<Matrix> products(static_cast<size_t>(blocks));
  std::vector<Vector> sums(static_cast<size_t>(blocks));
  detail::parallel_for(blocks, threads, [&](Index b) {
    const Index start = b * item_rows;
    const auto rows = y.middleRows(start, std::min(item_rows, n - start));
    Matrix& product = products[static_cast<size_t>(b)];
    product = Matrix::Zero(d, d);
    product.selfadjointView<Eigen::Lower>().rankUpdate(rows.transpose());
    sums[static_cast<size_t>(b)] = rows.colwise().sum().transpose();
  });
  Matrix covariance = Matrix::Zero(d, d);
  Vector sum = Vector::Zero(d);
  for (Index b = 0; b < blocks; ++b) {
    covariance.triangularView<Eigen::Lower>() += products[static_cast<size_t>(b)];
    sum += sums[static_cast<size_t>(b)];
  }
  const Vector mean = sum / static_cast<double>(n);
  covariance.selfadjointView<Eigen::Lower>().rankUpdate(mean, -static_cast<double>(n));
  covariance = covariance.selfadjointView<Eigen::Lower>();
  covariance /= static_cast<double>(n - 1);
  return covariance;
}

Rotation Rotation::pca(ConstMatrixRef y) { return pca_from_covariance(covariance(y)); }

Rotation Rotation::pca_from_covariance(const Matrix& covariance) {
  const Index d = covariance.rows();
  if (d == 0 || covariance.cols() != d || !covariance.allFinite()) {
    throw NumericalError(fmt::format("pca: covariance must be a finite square matrix (got {}x{})",
                                     d, covariance.cols()));
  }
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(covariance);
  if (solver.info() != Eigen::Success) {
    throw NumericalError("pca: covariance eigen-decomposition did not converge");
  }
  // Eigen sorts eigenvalues in increasing order; principal axes go first.
  Matrix axes = solver.eigenvectors().rowwise().reverse().transpose();
  // Sign convention: the largest-magnitude component of each axis is positive.
  for (Index k = 0; k < d; ++k) {
    Index largest = 0;
    axes.row(k).cwiseAbs().maxCoeff(&largest);
    if (axes(k, largest) < 0.0) axes.row(k) *= -1.0;
  }
  return Rotation(RotationKind::Pca, std::move(axes));
}

}  // namespace rbig
