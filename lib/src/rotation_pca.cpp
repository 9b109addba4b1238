#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "parallel.hpp"
#include "row_blocks.hpp"

#include <algorithm>
#include <vector>

namespace rbig {

namespace detail {

CovarianceItems covariance_items(Index rows) {
  // A fixed number of contiguous row ranges (it depends on N only, never on the thread count),
  // each summing its own YᵀY and column sums; at most kMaxItems partial D×D matrices at a time.
  constexpr Index kMinItemRows = 8192;
  constexpr Index kMaxItems = 16;
  CovarianceItems items;
  items.count = std::clamp<Index>(rows / kMinItemRows, 1, kMaxItems);
  items.item_rows = (rows + items.count - 1) / items.count;
  return items;
}

Matrix covariance_from_sums(const std::vector<Matrix>& lower_products,
                            const std::vector<Vector>& sums, Index rows) {
  const Index d = lower_products.front().rows();
  Matrix covariance = Matrix::Zero(d, d);
  Vector sum = Vector::Zero(d);
  for (size_t b = 0; b < lower_products.size(); ++b) {
    covariance.triangularView<Eigen::Lower>() += lower_products[b];
    sum += sums[b];
  }
  const Vector mean = sum / static_cast<double>(rows);
  covariance.selfadjointView<Eigen::Lower>().rankUpdate(mean, -static_cast<double>(rows));
  covariance = covariance.selfadjointView<Eigen::Lower>();
  covariance /= static_cast<double>(rows - 1);
  return covariance;
}

}  // namespace detail

Matrix Rotation::covariance(ConstMatrixRef y, int threads) {
  const Index n = y.rows();
  const Index d = y.cols();
  if (n < 2) throw NumericalError(fmt::format("pca: need at least 2 rows (got {})", n));
  const detail::CovarianceItems items = detail::covariance_items(n);
  std::vector<Matrix> products(static_cast<size_t>(items.count));
  std::vector<Vector> sums(static_cast<size_t>(items.count));
  detail::parallel_for(items.count, threads, [&](Index b) {
    const Index start = b * items.item_rows;
    const ConstMatrixRef rows = y.middleRows(start, std::min(items.item_rows, n - start));
    Matrix& product = products[static_cast<size_t>(b)];
    product = Matrix::Zero(d, d);
    product.selfadjointView<Eigen::Lower>().rankUpdate(rows.transpose());
    sums[static_cast<size_t>(b)] = rows.colwise().sum().transpose();
  });
  return detail::covariance_from_sums(products, sums, n);
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
