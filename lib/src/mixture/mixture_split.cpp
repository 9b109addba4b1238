// split_components (mixture_split.hpp): the moment-preserving split of the heaviest, widest
// components (as in split-and-merge EM, Ueda et al. 2000), used to warm-start the next K.

#include "mixture/mixture_split.hpp"

#include <rbig/error.hpp>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rbig::detail {
namespace {

/// The offset of each half from the mean, in sd along the principal axis.
constexpr double kSplitOffset = 0.5;

}  // namespace

MixtureMap split_components(const MixtureMap& map, int components) {
  const Index k = map.components();
  const Index target = static_cast<Index>(components);
  if (target < k || target > 2 * k)
    throw OptionError(fmt::format("mixture split: {} components from {} (need {} to {})",
                                  components, k, k, 2 * k));
  const Index dims = map.dims();
  std::vector<Vector> axis(static_cast<size_t>(k));
  std::vector<double> spread(static_cast<size_t>(k));
  for (Index c = 0; c < k; ++c) {
    const Eigen::SelfAdjointEigenSolver<Matrix> eigen(map.covariances()[static_cast<size_t>(c)]);
    const double lambda = std::max(0.0, eigen.eigenvalues()[dims - 1]);
    axis[static_cast<size_t>(c)] = std::sqrt(lambda) * eigen.eigenvectors().col(dims - 1);
    spread[static_cast<size_t>(c)] = map.weights()[c] * std::sqrt(lambda);
  }
  std::vector<Index> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) {
    return spread[static_cast<size_t>(a)] > spread[static_cast<size_t>(b)];
  });
  std::vector<bool> split(static_cast<size_t>(k), false);
  for (Index s = 0; s < target - k; ++s)
    split[static_cast<size_t>(order[static_cast<size_t>(s)])] = true;

  Vector weights(target);
  Matrix means(target, dims);
  std::vector<Matrix> covariances;
  covariances.reserve(static_cast<size_t>(target));
  Index out = 0;
  for (Index c = 0; c < k; ++c) {
    const Matrix& cov = map.covariances()[static_cast<size_t>(c)];
    if (!split[static_cast<size_t>(c)]) {
      weights[out] = map.weights()[c];
      means.row(out++) = map.means().row(c);
      covariances.push_back(cov);
      continue;
    }
    const Vector& a = axis[static_cast<size_t>(c)];
    const Matrix narrowed = cov - kSplitOffset * kSplitOffset * a * a.transpose();
    for (const double sign : {-1.0, 1.0}) {
      weights[out] = 0.5 * map.weights()[c];
      means.row(out++) = map.means().row(c) + sign * kSplitOffset * a.transpose();
      covariances.push_back(narrowed);
    }
  }
  weights /= weights.sum();
  return MixtureMap(std::move(weights), std::move(means), std::move(covariances));
}

}  // namespace rbig::detail
