#include "fit/layer_passes.hpp"

#include <rbig/rotation.hpp>

#include "fit/exact_statistics.hpp"
#include "io/mapped_registry.hpp"
#include "rotation/row_blocks.hpp"

#include <Eigen/Core>

#include <cassert>

namespace rbig::detail {

Matrix forward_with_covariance(MatrixRef y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads, const Reducer& reducer) {
  assert(static_cast<Index>(marginals.size()) == y.cols());
  // Each block is mapped column by column just before the covariance sums read it.
  return exact_covariance(y.rows(), y.cols(), threads, reducer, [&](Index start, Index count) {
    for (Index c = 0; c < y.cols(); ++c) {
      const VectorRef segment = y.col(c).segment(start, count);
      marginals[static_cast<size_t>(c)]->forward(segment, segment);
    }
    return ConstMatrixRef(y.middleRows(start, count));
  });
}

namespace {

/// The column moments over all participants' rows of x·m, summed unit by unit
/// (exact_statistics.hpp) while `multiply` (a product over n rows, multiply_rows_in_place or its
/// streamed twin) passes each block of the result to the sink. first_row: x's first row.
template <class Multiply>
std::vector<std::optional<ColumnMoments>> product_moments(Index n,
                                                          const Eigen::RowVectorXd& first_row,
                                                          const Matrix& m, const Reducer& reducer,
                                                          const Multiply& multiply) {
  const Index d = m.cols();
  // Every unit shifts by the same values, so that the units' sums can be added: the rotated
  // first row of all rows (any value that close to the data keeps Σd² − (Σd)²/N from cancelling).
  const Eigen::RowVectorXd local_shift = first_row * m;
  const std::vector<double> shift = first_row_everywhere(
      std::vector<double>(local_shift.data(), local_shift.data() + d), reducer);
  const Index total = total_rows(n, reducer);
  const Index unit = sum_unit_rows(total);
  // Each item's units' (min, max, Σd, Σd²) for every column; added exactly once the product is
  // done, in any order (the exact sums do not depend on it).
  std::vector<std::vector<double>> units(static_cast<size_t>(product_items(n, d)));
  multiply([&](Index item, ConstMatrixRef block) {
    std::vector<double>& sums = units[static_cast<size_t>(item)];
    for_each_row_block(block.rows(), unit, [&](Index start, Index count) {
      for (Index c = 0; c < d; ++c) {
        MomentSums piece(shift[static_cast<size_t>(c)], 1.0);
        piece.add(block.col(c).data() + start, count);
        sums.insert(sums.end(), {piece.min(), piece.max(), piece.total(), piece.total_squares()});
      }
    });
  });
  std::vector<ExactColumnSums> columns(static_cast<size_t>(d));
  for (const std::vector<double>& sums : units) {
    for (size_t at = 0; at < sums.size(); at += 4) {
      columns[(at / 4) % static_cast<size_t>(d)].add(sums[at], sums[at + 1], sums[at + 2],
                                                     sums[at + 3]);
    }
  }
  return reduce_column_sums(columns, shift, std::vector<int>(static_cast<size_t>(d), 0), total,
                            reducer);
}

}  // namespace

std::vector<std::optional<ColumnMoments>> multiply_rows_with_moments(MatrixRef x, const Matrix& m,
                                                                     int threads,
                                                                     const Reducer& reducer) {
  // An empty part's first row is none: participant 0's gives the shift (row_alignment.hpp).
  const Eigen::RowVectorXd first_row =
      x.rows() > 0 ? Eigen::RowVectorXd(x.row(0)) : Eigen::RowVectorXd::Zero(x.cols());
  return product_moments(x.rows(), first_row, m, reducer, [&](const ProductBlockSink& sink) {
    multiply_rows_in_place(x, m, threads, sink);
  });
}

namespace {

/// Rows [start, start + count) of x, read with pread into a buffer of this thread when x is a
/// whole mapped matrix (`file`).
ConstMatrixRef rows_of(ConstMatrixRef x, const MappedMatrix* file, Index start, Index count) {
  if (file == nullptr) return x.middleRows(start, count);
  thread_local Matrix buffer;  // per thread, as below
  if (buffer.rows() < count || buffer.cols() != x.cols()) buffer.resize(count, x.cols());
  const MatrixRef block = buffer.topRows(count);
  file->read_rows(start, block);
  return ConstMatrixRef(block);
}

}  // namespace

Matrix covariance_of(ConstMatrixRef x, int threads) {
  const MappedMatrix* file = find_mapped(x);
  if (file == nullptr || x.rows() < 2) return Rotation::covariance(x, threads);
  return blocked_covariance(x.rows(), x.cols(), threads, [&](Index start, Index count) {
    return rows_of(x, file, start, count);
  });
}

Matrix exact_covariance_of(ConstMatrixRef x, int threads, const Reducer& reducer) {
  const MappedMatrix* file = find_mapped(x);
  return exact_covariance(x.rows(), x.cols(), threads, reducer,
                          [&](Index start, Index count) { return rows_of(x, file, start, count); });
}

Matrix forward_with_covariance(WorkBuffer& y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads, const Reducer& reducer) {
  MappedMatrix* file = y.file();
  if (file == nullptr) return forward_with_covariance(y.ref(), marginals, threads, reducer);
  assert(static_cast<Index>(marginals.size()) == y.cols());
  return exact_covariance(y.rows(), y.cols(), threads, reducer, [&](Index start, Index count) {
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
                                                                     int threads,
                                                                     const Reducer& reducer) {
  MappedMatrix* file = x.file();
  if (file == nullptr) return multiply_rows_with_moments(x.ref(), m, threads, reducer);
  Eigen::RowVectorXd first_row(x.cols());
  file->read_rows(0, Eigen::Map<Matrix>(first_row.data(), 1, x.cols()));
  return product_moments(x.rows(), first_row, m, reducer, [&](const ProductBlockSink& sink) {
    multiply_rows_streamed(
        x.rows(), m, threads, [&](Index start, MatrixRef out) { file->read_rows(start, out); },
        [&](Index start, ConstMatrixRef block) { file->write_rows(start, block); }, sink);
  });
}

}  // namespace rbig::detail
