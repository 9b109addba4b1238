#include "fit/layer_passes.hpp"

#include <rbig/rotation.hpp>

#include "io/mapped_registry.hpp"
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

namespace {

/// The column moments of x·m summed block by block while `multiply` (a product over n rows,
/// multiply_rows_in_place or its streamed twin) passes each block of the result to the sink.
/// first_row: x's first row.
template <class Multiply>
std::vector<std::optional<ColumnMoments>> product_moments(Index n,
                                                          const Eigen::RowVectorXd& first_row,
                                                          const Matrix& m,
                                                          const Multiply& multiply) {
  const Index d = m.cols();
  assert(n >= 2);
  // Every item shifts by the same values, so that the items' sums can be added: the rotated
  // first row (the GEMM of the first block may round it differently in the last bit; any value
  // that close to the data keeps Σd² − (Σd)²/N from cancelling).
  const Eigen::RowVectorXd shift = first_row * m;
  const Index items = product_items(n, d);
  std::vector<MomentSums> partial;  // item-major: partial[item·D + c]
  partial.reserve(static_cast<size_t>(items * d));
  for (Index item = 0; item < items; ++item) {
    for (Index c = 0; c < d; ++c) partial.emplace_back(shift[c], 1.0);
  }
  multiply([&](Index item, ConstMatrixRef block) {
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

}  // namespace

std::vector<std::optional<ColumnMoments>> multiply_rows_with_moments(MatrixRef x, const Matrix& m,
                                                                     int threads) {
  return product_moments(x.rows(), x.row(0), m, [&](const ProductBlockSink& sink) {
    multiply_rows_in_place(x, m, threads, sink);
  });
}

Matrix covariance_of(ConstMatrixRef x, int threads) {
  const MappedMatrix* file = find_mapped(x);
  if (file == nullptr || x.rows() < 2) return Rotation::covariance(x, threads);
  return blocked_covariance(x.rows(), x.cols(), threads, [&](Index start, Index count) {
    thread_local Matrix buffer;  // per thread, as below
    if (buffer.rows() < count || buffer.cols() != x.cols()) buffer.resize(count, x.cols());
    const MatrixRef block = buffer.topRows(count);
    file->read_rows(start, block);
    return ConstMatrixRef(block);
  });
}

Matrix forward_with_covariance(WorkBuffer& y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads) {
  MappedMatrix* file = y.file();
  if (file == nullptr) return forward_with_covariance(y.ref(), marginals, threads);
  assert(y.rows() >= 2 && static_cast<Index>(marginals.size()) == y.cols());
  return blocked_covariance(y.rows(), y.cols(), threads, [&](Index start, Index count) {
    // Kept per thread: fresh pages for every block would cost a fault each.
    thread_local Matrix buffer;
    if (buffer.rows() < count || buffer.cols() != y.cols()) buffer.resize(count, y.cols());
    MatrixRef block = buffer.topRows(count);
    file->read_rows(start, block);
    for (Index c = 0; c < y.cols(); ++c) {
      marginals[static_cast<size_t>(c)]->forward(block.col(c), block.col(c));
    }
    file->write_rows(start, block);
    return ConstMatrixRef(block);
  });
}

std::vector<std::optional<ColumnMoments>> multiply_rows_with_moments(WorkBuffer& x, const Matrix& m,
                                                                     int threads) {
  MappedMatrix* file = x.file();
  if (file == nullptr) return multiply_rows_with_moments(x.ref(), m, threads);
  Eigen::RowVectorXd first_row(x.cols());
  file->read_rows(0, Eigen::Map<Matrix>(first_row.data(), 1, x.cols()));
  return product_moments(x.rows(), first_row, m, [&](const ProductBlockSink& sink) {
    multiply_rows_streamed(
        x.rows(), m, threads, [&](Index start, MatrixRef out) { file->read_rows(start, out); },
        [&](Index start, ConstMatrixRef block) { file->write_rows(start, block); }, sink);
  });
}

}  // namespace rbig::detail
