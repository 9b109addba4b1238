#include "degenerate_columns.hpp"

#include <rbig/error.hpp>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include <cmath>

namespace rbig::cli {
namespace {

/// Below this, the smallest eigenvalue of a correlation matrix is rounding, not data: y = 2x
/// plus noise of 10⁻⁹·sd reads about 10⁻¹⁸, independent columns at N = 10 about 10⁻².
constexpr double kSingular = 1e-10;
/// A column takes part in the dependence when its weight in the null direction is this large.
constexpr double kMember = 0.05;

}  // namespace

std::string LabelledColumns::label(std::size_t i) const {
  return fmt::format("column {} ({:?})", numbers[i], names[i]);
}

void refuse_constant_columns(const Matrix& values, const LabelledColumns& columns) {
  for (Index c = 0; c < values.cols(); ++c) {
    if (values.col(c).minCoeff() != values.col(c).maxCoeff()) continue;
    const auto i = static_cast<std::size_t>(c);
    throw InputError(columns.file, 0, 0,
                     fmt::format("{} is constant (every value is {}): its entropy is −∞ and it "
                                 "carries no information to measure; remove it",
                                 columns.label(i), values(0, c)));
  }
}

std::optional<std::vector<std::size_t>> linear_dependence(const Matrix& values) {
  if (values.cols() < 2) return std::nullopt;
  const Eigen::RowVectorXd mean = values.colwise().mean();
  const Matrix centred = values.rowwise() - mean;
  // stableNorm: columns of 1e±300 would over- or underflow a plain sum of squares.
  const Vector scale = centred.colwise().stableNorm().transpose();
  const Matrix standard = centred * scale.cwiseInverse().asDiagonal();
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(standard.transpose() * standard);
  if (solver.eigenvalues()[0] > kSingular) return std::nullopt;
  const Vector direction = solver.eigenvectors().col(0);
  std::vector<std::size_t> members;
  for (Index c = 0; c < direction.size(); ++c) {
    if (std::abs(direction[c]) >= kMember) members.push_back(static_cast<std::size_t>(c));
  }
  return members;
}

std::string describe(const LabelledColumns& columns, const std::vector<std::size_t>& which) {
  std::string text;
  for (std::size_t k = 0; k < which.size(); ++k) {
    if (k > 0) text += k + 1 == which.size() ? " and " : ", ";
    text += columns.label(which[k]);
  }
  return text;
}

}  // namespace rbig::cli
