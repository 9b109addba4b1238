#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include "core/parallel.hpp"
#include "rotation/product_kernel.hpp"
#include "rotation/row_blocks.hpp"

#include <Eigen/LU>
#include <Eigen/SVD>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rbig {
namespace {

// Rows per block of the in-place product: the temporary stays in cache and is O(D), not O(N·D).
// The blocks are fixed (they start at row 0 whatever the thread count), so each row always goes
// through the same arithmetic and gets the same bits (product_kernel.hpp: the same bits on every
// x86-64 CPU too).
constexpr Index kProductBlockRows = 256;
// Blocks per parallel work item: large enough to amortise scheduling, small enough to balance.
// A block costs O(D²) per row, so wide data takes fewer blocks per item: 32 at D ≤ 10, 3 at D = 100
// (10⁴ × 100 was two uneven items, no gain from a second thread). The partition depends on the
// shape of the data only, and a row's bits on its 256-row block only.
constexpr Index kMaxBlocksPerItem = 32;
constexpr Index kItemBlockValues = kMaxBlocksPerItem * 10;

Index item_rows(Index dims) {
  return kProductBlockRows *
         std::clamp<Index>(kItemBlockValues / std::max<Index>(dims, 1), 1, kMaxBlocksPerItem);
}

// rows ← rows · m, block by block through `buffer`; the sink sees each block before write-back.
void multiply_blocks(MatrixRef rows_ref, const Matrix& m, Matrix& buffer, Index item,
                     const detail::ProductBlockSink& sink) {
  for (Index start = 0; start < rows_ref.rows(); start += kProductBlockRows) {
    const Index rows = std::min(kProductBlockRows, rows_ref.rows() - start);
    detail::multiply_block(rows_ref.data() + start, rows_ref.outerStride(), rows, m.data(),
                           m.rows(), buffer.data(), buffer.outerStride());
    if (sink) sink(item, buffer.topRows(rows));
    rows_ref.middleRows(start, rows) = buffer.topRows(rows);
  }
}

}  // namespace

namespace detail {

Index product_items(Index rows, Index dims) {
  const Index per_item = item_rows(dims);
  return (rows + per_item - 1) / per_item;
}

void multiply_rows_in_place(MatrixRef x, const Matrix& m, int threads,
                            const ProductBlockSink& sink) {
  const Index per_item = item_rows(m.cols());
  parallel_for(product_items(x.rows(), m.cols()), threads, [&](Index item) {
    const Index start = item * per_item;
    const Index rows = std::min(per_item, x.rows() - start);
    Matrix buffer(std::min(kProductBlockRows, rows), m.cols());
    multiply_blocks(x.middleRows(start, rows), m, buffer, item, sink);
  });
}

void multiply_rows_streamed(Index rows, const Matrix& m, int threads, const RowBlockRead& read,
                            const RowBlockWrite& write, const ProductBlockSink& sink) {
  const Index per_item = item_rows(m.cols());
  parallel_for(product_items(rows, m.cols()), threads, [&](Index item) {
    // Kept per thread: fresh pages for every item would cost a fault each.
    thread_local Matrix item_rows_buffer;
    thread_local Matrix product_buffer;
    if (item_rows_buffer.rows() != per_item || item_rows_buffer.cols() != m.rows()) {
      item_rows_buffer.resize(per_item, m.rows());
      product_buffer.resize(std::min(kProductBlockRows, per_item), m.cols());
    }
    const Index start = item * per_item;
    const Index count = std::min(per_item, rows - start);
    const MatrixRef item_block = item_rows_buffer.topRows(count);
    read(start, item_block);
    multiply_blocks(item_block, m, product_buffer, item, sink);
    write(start, item_block);
  });
}

}  // namespace detail

Rotation::Rotation(RotationKind kind, Matrix r) : kind_(kind), matrix_(std::move(r)) {
  if (kind_ == RotationKind::Ica) {
    const Eigen::PartialPivLU<Matrix> lu(matrix_);
    inverse_transposed_ = lu.inverse().transpose();
    log_abs_det_ = lu.matrixLU().diagonal().cwiseAbs().array().log().sum();
  } else {
    inverse_transposed_ = matrix_;
  }
}

Rotation Rotation::from_matrix(RotationKind kind, Matrix r) {
  if (r.rows() != r.cols() || r.rows() == 0) {
    throw NumericalError(
        fmt::format("rotation: matrix must be square (got {}x{})", r.rows(), r.cols()));
  }
  // Before any check that reduces over the matrix: maxCoeff and the SVD skip or spread NaN.
  if (!r.allFinite()) throw NumericalError("rotation: matrix has a value that is not finite");
  if (kind == RotationKind::Ica) {
    // LU's condition estimate: a few times cheaper than the JacobiSVD this check once used,
    // which made loading an ica model cost many times reading it.
    const Eigen::PartialPivLU<Matrix> lu(r);
    if (!(lu.rcond() > 1e-12)) {
      throw NumericalError("rotation: ica matrix is singular or not finite");
    }
    return Rotation(kind, std::move(r));
  }
  const double error =
      (r.transpose() * r - Matrix::Identity(r.rows(), r.cols())).cwiseAbs().maxCoeff();
  if (!(error < 1e-8)) {
    throw NumericalError(
        fmt::format("rotation: matrix is not orthogonal (max |RᵀR − I| = {:.3g})", error));
  }
  return Rotation(kind, std::move(r));
}

// One thread: callers that own many rows parallelise over row blocks themselves (model_eval.cpp)
// or call detail::multiply_rows_in_place with their thread count (model_fit.cpp).
void Rotation::apply(MatrixRef x) const {
  const Matrix transposed = matrix_.transpose();
  detail::multiply_rows_in_place(x, transposed, 1);
}

void Rotation::apply_inverse(MatrixRef z) const {
  detail::multiply_rows_in_place(z, inverse_transposed_, 1);
}

}  // namespace rbig
