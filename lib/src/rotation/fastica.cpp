#include "rotation/fastica.hpp"

#include <rbig/rotation.hpp>

#include <Eigen/Eigenvalues>

#include <cmath>

namespace rbig::detail {
namespace {

// W ← (W·Wᵀ)^(−1/2)·W: the symmetric decorrelation that keeps all rows orthonormal at once.
Matrix symmetric_orthogonalise(const Matrix& w) {
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(w * w.transpose());
  const Vector inverse_sqrt = solver.eigenvalues().cwiseMax(1e-300).cwiseSqrt().cwiseInverse();
  return solver.eigenvectors() * inverse_sqrt.asDiagonal() * solver.eigenvectors().transpose() * w;
}

}  // namespace

FastIcaResult fastica(ConstMatrixRef whitened, std::uint64_t seed, int max_iterations, double tol) {
  const Index n = whitened.rows();
  const Index d = whitened.cols();
  FastIcaResult result;
  result.unmixing = Rotation::random(d, seed).matrix();
  Matrix projected(n, d);
  for (result.iterations = 1; result.iterations <= max_iterations; ++result.iterations) {
    // Fixed point: w ← E[x·g(wᵀx)] − E[g'(wᵀx)]·w with g = tanh, for every row of W at once.
    projected.noalias() = whitened * result.unmixing.transpose();
    const Matrix g = projected.array().tanh().matrix();
    const Vector mean_derivative = (1.0 - g.array().square()).colwise().mean().transpose();
    Matrix updated = (g.transpose() * whitened) / static_cast<double>(n);
    updated -= mean_derivative.asDiagonal() * result.unmixing;
    updated = symmetric_orthogonalise(updated);
    const double change =
        (1.0 - (updated.cwiseProduct(result.unmixing)).rowwise().sum().cwiseAbs().array())
            .maxCoeff();
    result.unmixing = updated;
    if (change < tol) {
      result.converged = true;
      break;
    }
  }
  return result;
}

}  // namespace rbig::detail
