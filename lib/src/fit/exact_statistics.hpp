#pragma once
// The fit's column moments and covariance as the same bits whatever the number of participants
// and threads (issue 18): each is summed over fixed global row units (row_alignment.hpp) in one
// fixed floating-point order, the units' sums are added exactly (ExactSum), reduced over the
// participants exactly (sum_exact) and rounded once. Needs rows aligned by align_rows.

#include <rbig/types.hpp>

#include "fit/reducer.hpp"
#include "fit/row_alignment.hpp"
#include "fit/work_columns.hpp"
#include "rotation/row_blocks.hpp"
#include "stats/exact_sum.hpp"
#include "stats/moments.hpp"

#include <limits>
#include <optional>
#include <vector>

namespace rbig::detail {

/// One column's range and its units' sums Σd and Σd², added exactly.
struct ExactColumnSums {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  ExactSum sum;
  ExactSum squares;

  void add(const MomentSums& unit) {
    add(unit.min(), unit.max(), unit.total(), unit.total_squares());
  }
  void add(double min, double max, double total, double total_squares) {
    lo = std::min(lo, min);
    hi = std::max(hi, max);
    sum.add(total);
    squares.add(total_squares);
  }
};

/// Participant 0's `values` (the first row of all participants' rows), in every participant:
/// the shifts every participant's moment sums agree on. Collective.
std::vector<double> first_row_everywhere(std::vector<double> values, const Reducer& reducer);

/// The moments of all participants' `total_rows` rows from each one's sums of d = x·2^−e − shift
/// (e = exponent[c]). Collective. An entry is empty where e = 0 and the half-range lies outside
/// 2^±400 (MomentSums::moments): the caller then sums again with a scale.
std::vector<std::optional<ColumnMoments>> reduce_column_sums(std::vector<ExactColumnSums>& columns,
                                                             const std::vector<double>& shift,
                                                             const std::vector<int>& exponent,
                                                             Index total_rows,
                                                             const Reducer& reducer);

/// The moments over all participants' rows of the columns of work where `wanted` is set (others
/// empty), d shifted by the first row of all rows; rescaled as column_moments does for extreme
/// magnitudes. Columns on up to `threads` threads. Collective.
std::vector<std::optional<ColumnMoments>> exact_column_moments(const WorkColumns& work,
                                                               const std::vector<bool>& wanted,
                                                               int threads, const Reducer& reducer);

/// The covariance (divisor N − 1) of all participants' rows of an aligned matrix of `rows` rows
/// here, seen through `block` (called once for every piece of ≤ 512 rows, within one block):
/// each block's YᵀY and column sums by add_cross_products, added exactly; then as
/// blocked_covariance, YᵀY − N·μμᵀ. Collective.
Matrix exact_covariance(Index rows, Index dims, int threads, const Reducer& reducer,
                        const CovarianceBlock& block);

}  // namespace rbig::detail
