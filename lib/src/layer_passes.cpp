#include "layer_passes.hpp"

#include "parallel.hpp"
#include "row_blocks.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cassert>

namespace rbig::detail {
namespace {

// Rows per block of the fused marginal pass: a multiple of the histogram's 256-value chunk, and
// small enough that the block's D columns are still in cache (L1/L2) for the rank-k update.
constexpr Index kForwardBlockRows = 512;

}  // namespace

Matrix forward_with_covariance(MatrixRef y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads) {
  const Index n = y.rows();
  const Index d = y.cols();
  assert(n >= 2 && static_cast<Index>(marginals.size()) == d);
  // The covariance's own items (Rotation::covariance), each cut into blocks from its first row.
  const CovarianceItems items = covariance_items(n);
  std::vector<Matrix> products(static_cast<size_t>(items.count));
  std::vector<Vector> sums(static_cast<size_t>(items.count));
  parallel_for(items.count, threads, [&](Index item) {
    const Index item_start = item * items.item_rows;
    const Index item_end = std::min(n, item_start + items.item_rows);
    Matrix& product = products[static_cast<size_t>(item)];
    Vector& sum = sums[static_cast<size_t>(item)];
    product = Matrix::Zero(d, d);
    sum = Vector::Zero(d);
    for (Index start = item_start; start < item_end; start += kForwardBlockRows) {
      const Index rows = std::min(kForwardBlockRows, item_end - start);
      for (Index c = 0; c < d; ++c) {
        const VectorRef segment = y.col(c).segment(start, rows);
        marginals[static_cast<size_t>(c)]->forward(segment, segment);
      }
      const ConstMatrixRef block = y.middleRows(start, rows);
      product.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
      sum += block.colwise().sum().transpose();
    }
  });
  return covariance_from_sums(products, sums, n);
}

std::vector<std::optional<ColumnMoments>> multiply_rows_with_moments(MatrixRef x, const Matrix& m,
                                                                     int threads) {
  const Index n = x.rows();
  const Index d = m.cols();
  assert(n >= 2);
  // Every item shifts by the same values, so that the items' sums can be added: the rotated
  // first row (the GEMM of the first block may round it differently in the last bit; any value
  // that close to the data keeps Σd² − (Σd)²/N from cancelling).
  const Eigen::RowVectorXd shift = x.row(0) * m;
  const Index items = product_items(n);
  std::vector<MomentSums> partial;  // item-major: partial[item·D + c]
  partial.reserve(static_cast<size_t>(items * d));
  for (Index item = 0; item < items; ++item) {
    for (Index c = 0; c < d; ++c) partial.emplace_back(shift[c], 1.0);
  }
  multiply_rows_in_place(x, m, threads, [&](Index item, ConstMatrixRef block) {
    for (Index c = 0; c < d; ++c) {
      partial[static_cast<size_t>(item * d + c)].add(block.col(c).data(), block.rows());
    }
  });
  std::vector<std::optional<ColumnMoments>> moments(static_cast<size_t>(d));
  for (Index c = 0; c < d; ++c) {
    MomentSums total = partial[static_cast<size_t>(c)];
    for (Index item = 1; item < items; ++item) total.merge(partial[static_cast<size_t>(item * d + c)]);
    moments[static_cast<size_t>(c)] = total.moments(n);
  }
  return moments;
}

}  // namespace rbig::detail
