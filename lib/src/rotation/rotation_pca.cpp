#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "core/parallel.hpp"
#include "rotation/cross_product_kernel.hpp"
#include "rotation/row_blocks.hpp"
#include "rotation/row_signs.hpp"

#include <algorithm>
#include <vector>

namespace rbig {

namespace detail {

Matrix blocked_covariance(Index rows, Index dims, int threads, const CovarianceBlock& block) {
  // A fixed number of contiguous row ranges (it depends on N only, never on the thread count),
  // each summing its own YᵀY and column sums; at most kMaxItems partial D×D matrices at a time.
  // Within a range, blocks small enough that a caller's transform leaves them in cache (L1/L2)
  // for the rank-k update (cross_product_kernel.hpp: the same bits on every x86-64 CPU; Eigen's
  // rank update was also 7× slower at D = 100).
  // Items of at least 8,192 rows, or of 81,920 values when D > 10: the rank update costs O(D²)
  // per row, and 10⁴ × 100 in one item left the second thread idle.
  constexpr Index kMinItemRows = 8192;
  constexpr Index kMinItemValues = kMinItemRows * 10;
  constexpr Index kMaxItems = 16;
  constexpr Index kBlockRows = 512;
  const Index items =
      std::clamp<Index>(std::max(rows / kMinItemRows, rows * dims / kMinItemValues), 1, kMaxItems);
  const Index item_rows = (rows + items - 1) / items;
  std::vector<Matrix> products(static_cast<size_t>(items));
  std::vector<Vector> sums(static_cast<size_t>(items));
  parallel_for(items, threads, [&](Index item) {
    const Index item_end = std::min(rows, (item + 1) * item_rows);
    Matrix& product = products[static_cast<size_t>(item)];
    Vector& sum = sums[static_cast<size_t>(item)];
    product = Matrix::Zero(dims, dims);
    sum = Vector::Zero(dims);
    for (Index start = item * item_rows; start < item_end; start += kBlockRows) {
      throw_if_cancelled();  // a 512-row rank update at large D takes seconds
      const ConstMatrixRef y = block(start, std::min(kBlockRows, item_end - start));
      add_cross_products(y.data(), y.outerStride(), y.rows(), dims, product.data(), sum.data());
    }
  });
  Matrix covariance = Matrix::Zero(dims, dims);
  Vector sum = Vector::Zero(dims);
  for (Index item = 0; item < items; ++item) {
    covariance.triangularView<Eigen::Lower>() += products[static_cast<size_t>(item)];
    sum += sums[static_cast<size_t>(item)];
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
  if (n < 2) throw NumericalError(fmt::format("pca: need at least 2 rows (got {})", n));
  return detail::blocked_covariance(n, y.cols(), threads, [&](Index start, Index count) {
    return ConstMatrixRef(y.middleRows(start, count));
  });
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
  detail::make_largest_entries_positive(axes);
  return Rotation(RotationKind::Pca, std::move(axes));
}

}  // namespace rbig
