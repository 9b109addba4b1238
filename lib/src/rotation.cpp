#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rbig {
namespace {

// Rows per block of the in-place product: the temporary stays in cache and is O(D), not O(N·D).
constexpr Index kBlockRows = 256;

// block ← block · m, through a small temporary.
void multiply_rows_in_place(MatrixRef x, const Matrix& m) {
  Matrix buffer(std::min(kBlockRows, x.rows()), m.cols());
  for (Index start = 0; start < x.rows(); start += kBlockRows) {
    const Index rows = std::min(kBlockRows, x.rows() - start);
    buffer.topRows(rows).noalias() = x.middleRows(start, rows) * m;
    x.middleRows(start, rows) = buffer.topRows(rows);
  }
}

}  // namespace

Rotation Rotation::from_matrix(RotationKind kind, Matrix r) {
  if (r.rows() != r.cols() || r.rows() == 0) {
    throw NumericalError(fmt::format("rotation: matrix must be square (got {}x{})", r.rows(), r.cols()));
  }
  const double error =
      (r.transpose() * r - Matrix::Identity(r.rows(), r.cols())).cwiseAbs().maxCoeff();
  if (!(error < 1e-8)) {
    throw NumericalError(fmt::format("rotation: matrix is not orthogonal (max |RᵀR − I| = {:.3g})", error));
  }
  return Rotation(kind, std::move(r));
}

void Rotation::apply(MatrixRef x) const {
  const Matrix transposed = matrix_.transpose();
  multiply_rows_in_place(x, transposed);
}

void Rotation::apply_inverse(MatrixRef z) const { multiply_rows_in_place(z, matrix_); }

}  // namespace rbig
