#include "fit/layer_passes.hpp"

#include "rotation/row_blocks.hpp"

#include <Eigen/Core>

#include <cassert>

namespace rbig::detail {

Matrix forward_with_covariance(MatrixRef y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads) {
  assert(y.rows() >= 2 && static_cast<Index>(marginals.size()) == y.cols());
  // Each block is mapped column by column just before the covariance sums read it.
  return blocked_covariance(y.rows(), y.cols(), threads, [&](Index start, Index count) {
    for (Index c = 0; c < y.cols(); ++c) {
      const VectorRef segment = y.col(c).segment(start, count);
      marginals[static_cast<size_t>(c)]->forward(segment, segment);
    }
    return ConstMatrixRef(y.middleRows(start, count));
  });
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
  const Index items = product_items(n, d);
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
    for (Index item = 1; item < items; ++item)
      total.merge(partial[static_cast<size_t>(item * d + c)]);
    moments[static_cast<size_t>(c)] = total.moments(n);
  }
  return moments;
}

}  // namespace rbig::detail
