#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include "rotation/rotation_tuning.hpp"
#include "rotation/row_signs.hpp"
#include "rotation/fastica.hpp"

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include <algorithm>

namespace rbig {

using detail::kIcaRows;

Rotation Rotation::ica(ConstMatrixRef y, std::uint64_t seed) {
  const Index n = y.rows();
  const Index d = y.cols();
  if (n < 2) throw NumericalError(fmt::format("ica: need at least 2 rows (got {})", n));
  // Evenly spaced rows: FastICA's cost is O(rows·D²) per iteration, and 20,000 rows pin the
  // unmixing down far better than the layer needs.
  const Index stride = std::max<Index>(1, n / kIcaRows);
  const Index rows = (n + stride - 1) / stride;
  Matrix sample(rows, d);
  for (Index r = 0; r < rows; ++r) sample.row(r) = y.row(r * stride);
  sample.rowwise() -= sample.colwise().mean();
  const Matrix covariance = sample.transpose() * sample / static_cast<double>(rows - 1);
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(covariance);
  if (solver.info() != Eigen::Success) {
    throw NumericalError("ica: covariance eigen-decomposition did not converge");
  }
  if (!(solver.eigenvalues().minCoeff() > 1e-12 * solver.eigenvalues().maxCoeff())) {
    throw NumericalError("ica: covariance is singular (collinear dimensions)");
  }
  const Matrix whitening = solver.eigenvalues().cwiseSqrt().cwiseInverse().asDiagonal() *
                           solver.eigenvectors().transpose();
  const Matrix whitened = sample * whitening.transpose();
  // Later layers see nearly Gaussian data, where FastICA has no fixed point to converge to; 50
  // iterations bound the cost and the result is still a valid (orthogonal) unmixing.
  constexpr int kMaxIterations = 50;
  const detail::FastIcaResult unmixing = detail::fastica(whitened, seed, kMaxIterations);
  Matrix r = unmixing.unmixing * whitening;
  // Deterministic sign (the order is FastICA's, itself deterministic for the seed): the
  // largest-magnitude entry of each row is positive.
  detail::make_largest_entries_positive(r);
  return Rotation(RotationKind::Ica, std::move(r));
}

}  // namespace rbig
