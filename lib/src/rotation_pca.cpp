#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

namespace rbig {

Rotation Rotation::pca(ConstMatrixRef y) {
  const Index n = y.rows();
  const Index d = y.cols();
  if (n < 2) throw NumericalError(fmt::format("pca: need at least 2 rows (got {})", n));
  // Covariance as YᵀY − N·μμᵀ through a symmetric rank-k update: no centred N×D copy. The data
  // seen here has been marginally Gaussianised (mean ≈ 0, variance ≈ 1), so no cancellation.
  const Vector mean = y.colwise().mean().transpose();
  Matrix covariance = Matrix::Zero(d, d);
  covariance.selfadjointView<Eigen::Lower>().rankUpdate(y.transpose());
  covariance.selfadjointView<Eigen::Lower>().rankUpdate(mean, -static_cast<double>(n));
  covariance = covariance.selfadjointView<Eigen::Lower>();
  covariance /= static_cast<double>(n - 1);

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
