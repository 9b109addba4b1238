#pragma once
// The tree candidate of one layer (FitOptions::tree): after the layer's marginal maps, a
// density-tree destructor (tree.hpp) fitted to the Gaussianized columns, kept in the layer when
// it removes dependence a product of 1-D maps cannot. Its gain over the marginal layer is exactly
// the mean training log-density of the tree on Φ(y) (the destructor's log-likelihood gain under
// N(0, I)), less the split threshold each split had to beat (the search's optimism).

#include <rbig/options.hpp>
#include <rbig/tree.hpp>
#include <rbig/types.hpp>

#include "fit/marginal_step.hpp"

#include <optional>

namespace rbig::detail {

struct TreeStep {
  TreeMap map;
  Vector log_det;  // per training row, of the tree applied to `work`
  double gain = 0.0;
};

/// Applies the step's marginal maps to `work` in place; returns each row's Σ_d log m_d'(x_d)
/// (summed in column order: the same bits for any thread count).
Vector apply_marginals_with_log_det(MatrixRef work, const MarginalStep& step, int threads);

/// The tree fitted to `work` (the layer's marginal output), applied to it, when it has a split
/// and its gain beats `min_gain` (the noise level of a layer's reading); otherwise nullopt and
/// `work` unchanged.
std::optional<TreeStep> try_tree_step(MatrixRef work, double min_gain);

}  // namespace rbig::detail
