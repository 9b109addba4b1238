#pragma once
// The fixed row blocks over which the rotation's in-place product (rotation.cpp) and the
// covariance (rotation_pca.cpp) run, shared with the fitting loop's fused passes
// (layer_passes.cpp), which do more work on each block while it is in cache. Every partition here
// depends on the shape of the data only, never on the thread count (STYLE.md, "Randomness"), and
// partial sums are reduced in item order: the same bits at every thread count.

#include <rbig/types.hpp>

#include <functional>

namespace rbig::detail {

/// Sees one block of rows of the product x·m (of work item `item`, in
/// [0, product_items(x.rows()))) before it is written back over those rows of x. Blocks of one
/// item arrive in row order, on one thread; blocks of different items may arrive concurrently.
using ProductBlockSink = std::function<void(Index item, ConstMatrixRef block)>;

/// Work items of multiply_rows_in_place for a `rows` × `dims` matrix.
Index product_items(Index rows, Index dims);

/// x ← x·m for every row, in place, in fixed blocks of rows on up to `threads` threads (0: all
/// cores); `sink`, when set, is called with every block of the result.
void multiply_rows_in_place(MatrixRef x, const Matrix& m, int threads,
                            const ProductBlockSink& sink = {});

/// Reads rows [start, start + out.rows()) of a matrix kept elsewhere (a work file) into out, or
/// writes block back over them.
using RowBlockRead = std::function<void(Index start, MatrixRef out)>;
using RowBlockWrite = std::function<void(Index start, ConstMatrixRef block)>;

/// multiply_rows_in_place on a rows × m.rows() matrix that is not in memory: each work item's
/// rows are read at once through `read`, multiplied block by block as there (the same items,
/// blocks, sink calls and bits) and written back through `write`.
void multiply_rows_streamed(Index rows, const Matrix& m, int threads, const RowBlockRead& read,
                            const RowBlockWrite& write, const ProductBlockSink& sink = {});

/// Returns rows [start, start + count) of the matrix a covariance is summed over; it may first
/// transform them in place (the fused pass of layer_passes.cpp applies the marginal maps there).
using CovarianceBlock = std::function<ConstMatrixRef(Index start, Index count)>;

/// The sample covariance (divisor N − 1) of an N×D matrix seen through `block`, summed over a
/// fixed number of contiguous row ranges (at most 16, set by N and D alone), each in blocks of 512
/// rows from its first row, as YᵀY − N·μμᵀ (meant for data of order 1); partial sums are added in
/// range order. Rotation::covariance and the fitting loop's fused pass both use it.
Matrix blocked_covariance(Index rows, Index dims, int threads, const CovarianceBlock& block);

}  // namespace rbig::detail
