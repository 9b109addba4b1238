#pragma once
// The fixed row blocks over which the rotation's in-place product (rotation.cpp) and the
// covariance (rotation_pca.cpp) run, shared with the fitting loop's fused passes (layer_passes.cpp),
// which do more work on each block while it is in cache. Every partition here depends on the
// number of rows only, never on the thread count (STYLE.md, "Randomness"), and partial sums are
// reduced in item order: the same bits at every thread count.

#include <rbig/types.hpp>

#include <functional>
#include <vector>

namespace rbig::detail {

/// Sees one block of rows of the product x·m (of work item `item`, in
/// [0, product_items(x.rows()))) before it is written back over those rows of x. Blocks of one
/// item arrive in row order, on one thread; blocks of different items may arrive concurrently.
using ProductBlockSink = std::function<void(Index item, ConstMatrixRef block)>;

/// Work items of multiply_rows_in_place for a matrix of `rows` rows.
Index product_items(Index rows);

/// x ← x·m for every row, in place, in fixed blocks of rows on up to `threads` threads (0: all
/// cores); `sink`, when set, is called with every block of the result.
void multiply_rows_in_place(MatrixRef x, const Matrix& m, int threads,
                            const ProductBlockSink& sink = {});

/// The contiguous row ranges a covariance of `rows` rows is summed over: `count` items of
/// `item_rows` rows (the last one shorter), at most 16 partial D×D sums at a time.
struct CovarianceItems {
  Index count = 1;
  Index item_rows = 0;
};
CovarianceItems covariance_items(Index rows);

/// The sample covariance (divisor N − 1, N = rows) from the items' lower triangles of YᵀY and
/// column sums, added in item order, as YᵀY − N·μμᵀ (meant for data of order 1).
Matrix covariance_from_sums(const std::vector<Matrix>& lower_products,
                            const std::vector<Vector>& sums, Index rows);

}  // namespace rbig::detail
