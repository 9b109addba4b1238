// Exact linear dependence among columns (a duplicate, a copy, y = a·x + b): entropy is −∞ there,
// total correlation and mutual information +∞, and a fit would report a large finite number.

#include <rbig/info.hpp>

#include <Eigen/Eigenvalues>

#include <cmath>

namespace rbig {
namespace {

/// Below this, the smallest eigenvalue of a correlation matrix is rounding, not data: y = 2x
/// plus noise of 10⁻⁹·sd reads about 10⁻¹⁸, independent columns at N = 10 about 10⁻².
constexpr double kSingular = 1e-10;
/// A column takes part in the dependence when its weight in the null direction is this large.
constexpr double kMember = 0.05;

}  // namespace

std::optional<std::vector<Index>> linear_dependence(ConstMatrixRef x) {
  if (x.cols() < 2) return std::nullopt;
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Matrix centred = x.rowwise() - mean;
  // stableNorm: columns of 1e±300 would over- or underflow a plain sum of squares.
  const Vector scale = centred.colwise().stableNorm().transpose();
  const Matrix standard = centred * scale.cwiseInverse().asDiagonal();
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(standard.transpose() * standard);
  if (solver.eigenvalues()[0] > kSingular) return std::nullopt;
  const Vector direction = solver.eigenvectors().col(0);
  std::vector<Index> members;
  for (Index c = 0; c < direction.size(); ++c) {
    if (std::abs(direction[c]) >= kMember) members.push_back(c);
  }
  return members;
}

}  // namespace rbig
