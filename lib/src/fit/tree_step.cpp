#include "fit/tree_step.hpp"

#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>

namespace rbig::detail {

Vector apply_marginals_with_log_det(MatrixRef work, const MarginalStep& step, int threads) {
  // By blocks of rows, each block's columns in order: no N × D scratch (the work matrix may be a
  // work file's mapping), and each row's sum in column order whatever the thread count.
  constexpr Index kBlockRows = 4096;
  const Index blocks = (work.rows() + kBlockRows - 1) / kBlockRows;
  Vector sum = Vector::Zero(work.rows());
  parallel_for(blocks, threads, [&](Index block) {
    const Index start = block * kBlockRows;
    const Index count = std::min(kBlockRows, work.rows() - start);
    Vector log_derivative(count);
    for (Index d = 0; d < work.cols(); ++d) {
      auto column = work.col(d).segment(start, count);
      step.marginals[static_cast<size_t>(d)]->forward_with_log_derivative(column, column,
                                                                          log_derivative);
      sum.segment(start, count) += log_derivative;
    }
  });
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
