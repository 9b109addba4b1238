#pragma once
// The rows a mixture layer is fitted on, and its map applied to a participant's own rows, so that
// the mixture-first candidate (mixture_step.hpp) gives the same model from any number of
// processes and with --work-file (issue 18).
//
// EM needs every row in one place (its N×K responsibilities), so the mixture's EM, the search
// over its number of components and its information estimate (1-D spacing entropies, which sort
// each column) run on a bounded subsample of at most kMixtureRows rows, chosen by their global
// row position and gathered to every participant: each one then runs the same EM on the same
// rows and gets the same bits. The map itself is applied to each participant's own rows, block
// by block, and its held-out sums are added exactly (stats/exact_sum.hpp).

#include <rbig/mixture.hpp>
#include <rbig/types.hpp>

#include "fit/reducer.hpp"
#include "stats/exact_sum.hpp"

namespace rbig::detail {

/// The most rows the mixture's EM, its K search and its information estimate see. In one
/// process with at most this many training rows nothing is subsampled. Measured in bench/README.md
/// ("Mixture first layer under mpirun and with --work-file"): at 80,000 training rows, 2¹⁵ of them
/// cost at most 0.003 nats of KL gap on gmm8, gmm16 and moons against EM on every row.
inline constexpr Index kMixtureRows = Index{1} << 15;

/// Every participant receives the same matrix: the rows of all participants' `x` (this one's
/// part, the parts in participant order) at the global positions ⌊j·N / m⌋, j = 0 … m − 1, where
/// N is the total row count and m = min(N, max_rows), in order; so all rows when N ≤ max_rows,
/// and the same rows however they are split. Collective (three small reductions and one gather).
Matrix gather_rows_by_stride(ConstMatrixRef x, Index max_rows, const Reducer& reducer);

/// Sums over the rows a mixture map was applied to, exact so that they do not depend on the split.
struct MixtureRowSums {
  ExactSum log_det;      // Σ log|det ∂z/∂x|
  ExactSum log_density;  // Σ log p(x) = Σ [log|det ∂z/∂x| + Σ_d log φ(z_d)]
};

/// rows ← the mixture's image z of each row, in blocks (a bounded scratch: rows may be a work
/// file's mapping). Throws NumericalError when an image or log-determinant is not finite
/// (`what` names the rows).
MixtureRowSums map_rows(const MixtureMap& map, MatrixRef rows, const char* what);

}  // namespace rbig::detail
