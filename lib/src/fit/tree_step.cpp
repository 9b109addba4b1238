#include "fit/tree_step.hpp"

#include "core/parallel.hpp"

#include <cmath>

namespace rbig::detail {

Vector apply_marginals_with_log_det(MatrixRef work, const MarginalStep& step, int threads) {
  Matrix log_derivative(work.rows(), work.cols());
  parallel_for(work.cols(), threads, [&](Index d) {
    step.marginals[static_cast<size_t>(d)]->forward_with_log_derivative(work.col(d), work.col(d),
                                                                        log_derivative.col(d));
  });
  Vector sum = Vector::Zero(work.rows());
  for (Index d = 0; d < work.cols(); ++d) sum += log_derivative.col(d);
  return sum;
}

std::optional<TreeStep> try_tree_step(MatrixRef work, double min_gain) {
  const TreeSettings settings;
  TreeMap map = TreeMap::fit(work, settings);
  if (map.leaves() < 2) return std::nullopt;
  const double per_split = std::log(static_cast<double>(work.cols()) * (settings.bins - 1)) /
                           static_cast<double>(work.rows());
  const double gain =
      map.training_log_density() - static_cast<double>(map.leaves() - 1) * per_split;
  if (!(gain > min_gain)) return std::nullopt;
  Matrix y = work;
  Vector log_det = Vector::Zero(work.rows());
  map.forward(y, log_det);
  if (!y.allFinite() || !log_det.allFinite()) return std::nullopt;
  work = y;
  return TreeStep{std::move(map), std::move(log_det), gain};
}

}  // namespace rbig::detail
