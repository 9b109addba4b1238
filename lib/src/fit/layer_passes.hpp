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

#include "fit/reducer.hpp"
#include "fit/work_buffer.hpp"
#include "stats/moments.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace rbig::detail {

/// y.col(d) ← marginals[d]->forward(y.col(d)) for every column, in place, and the sample
/// covariance of the result over all participants' rows (divisor N − 1; as
/// Rotation::covariance(y) of the output up to rounding, exact_statistics.hpp: the same bits
/// whatever the split of the aligned rows). Needs N ≥ 2 rows in all and one marginal per column;
/// up to `threads` threads (0: all cores). Collective.
Matrix forward_with_covariance(MatrixRef y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads, const Reducer& reducer = LocalReducer());

/// x ← x·m, in place (the same blocks and bits as multiply_rows_in_place), and the
/// column moments of the result over all participants' rows: min and max exact, mean and sd up
/// to rounding (exact_statistics.hpp; sums shifted by the first row of x·m of all rows). A
/// column's entry is empty where column_moments would need its rescaled second pass (half-range
/// outside 2^±400): the caller computes those itself. Needs N ≥ 2 rows in all. Collective.
std::vector<std::optional<ColumnMoments>> multiply_rows_with_moments(
    MatrixRef x, const Matrix& m, int threads, const Reducer& reducer = LocalReducer());

/// Rotation::covariance(x, threads), the same bits; when x is a whole mapped matrix
/// (io/mapped_registry.hpp) its row blocks are read from the file with pread.
Matrix covariance_of(ConstMatrixRef x, int threads);

/// The covariance of all participants' rows of an aligned x (exact_statistics.hpp); a whole
/// mapped x is read as above. Collective.
Matrix exact_covariance_of(ConstMatrixRef x, int threads, const Reducer& reducer);

/// The same two passes over a WorkBuffer, with the same blocks and bits: on the heap as above;
/// in a work file each block is read with pread into a buffer of this thread, processed there
/// and written back with pwrite, so that no page of the file is mapped (work_buffer.hpp).
Matrix forward_with_covariance(WorkBuffer& y,
                               const std::vector<std::unique_ptr<MarginalTransform>>& marginals,
                               int threads, const Reducer& reducer = LocalReducer());
std::vector<std::optional<ColumnMoments>> multiply_rows_with_moments(
    WorkBuffer& x, const Matrix& m, int threads, const Reducer& reducer = LocalReducer());

}  // namespace rbig::detail
