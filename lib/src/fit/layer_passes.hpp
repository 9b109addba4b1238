#pragma once
// The fitting loop's passes over its N×D work matrix, fused so that each layer reads the matrix
// three times instead of five: (1) the marginal fits' counting passes, given the column
// moments from the previous layer; (2) forward_with_covariance: the marginal maps and the PCA
// covariance of their output; (3) multiply_rows_with_moments: the rotation and the column
// moments the next layer's fits need. Both fused passes visit fixed row blocks (they depend on N
// only) while each block is in cache, sum per work item and reduce in item order: the same bits
// at every thread count. Results equal the unfused Rotation::covariance and column_moments up to
// rounding (another summation order).

#include <rbig/marginal.hpp>
#include <rbig/types.hpp>

#include "fit/work_buffer.hpp"
#include "stats/moments.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace rbig::detail {

/// y.col(d) ← marginals[d]->forward(y.col(d)) for every column, in place, and the sample
/// covariance of the result (divisor N − 1; as Rotation::covariance(y) of the output, up to
/// rounding). Needs N ≥ 2 rows and one marginal per column; up to `threads` threads (0: all cores).
Matrix forward_with_covariance(MatrixRef y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads);

/// x ← x·m, in place (the same blocks and bits as multiply_rows_in_place), and the
/// column_moments of the result: min and max exact, mean and sd up to rounding (sums shifted by
/// the first row of x·m, computed apart). A column's entry is empty where column_moments would
/// need its rescaled second pass (half-range outside 2^±400): the caller computes those itself.
/// Needs N ≥ 2 rows.
std::vector<std::optional<ColumnMoments>> multiply_rows_with_moments(MatrixRef x, const Matrix& m,
                                                                     int threads);

/// Rotation::covariance(x, threads), the same bits; when x is a whole mapped matrix
/// (io/mapped_registry.hpp) its row blocks are read from the file with pread.
Matrix covariance_of(ConstMatrixRef x, int threads);

/// The same two passes over a WorkBuffer, with the same blocks and bits: on the heap as above;
/// in a work file each block is read with pread into a buffer of this thread, processed there
/// and written back with pwrite, so that no page of the file is mapped (work_buffer.hpp).
Matrix forward_with_covariance(WorkBuffer& y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads);
std::vector<std::optional<ColumnMoments>> multiply_rows_with_moments(WorkBuffer& x, const Matrix& m,
                                                                     int threads);

}  // namespace rbig::detail
