#pragma once
// The fitting loop's passes over its N×D work matrix, fused so that a layer reads the matrix
// fewer times (issue 5): forward_with_covariance applies the marginal maps and sums the PCA
// covariance of their output. It visits fixed row blocks (they depend on N only) while each
// block is in cache, sums per work item and reduces in item order: the same bits at every thread
// count. The result equals the unfused Rotation::covariance up to rounding (another summation
// order).

#include <rbig/marginal.hpp>
#include <rbig/types.hpp>

#include <memory>
#include <vector>

namespace rbig::detail {

/// y.col(d) ← marginals[d]->forward(y.col(d)) for every column, in place, and the sample
/// covariance of the result (divisor N − 1; as Rotation::covariance(y) of the output, up to
/// rounding). Needs N ≥ 2 rows and one marginal per column; up to `threads` threads (0: all cores).
Matrix forward_with_covariance(MatrixRef y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads);

}  // namespace rbig::detail
