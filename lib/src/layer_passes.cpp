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

}  // namespace rbig::detail
