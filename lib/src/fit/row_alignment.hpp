#pragma once
// Fixed global row blocks, so that a distributed fit's sums do not depend on how many processes
// share the rows (issue 18). A sum of floating-point values depends on how they are grouped; the
// fit's sums are therefore formed block by block, each block of `row_block_rows` consecutive rows
// (counted among all participants' rows) summed by the same code in one fixed order, and the
// block sums added exactly (stats/exact_sum.hpp). That needs every block whole on one
// participant: align_rows moves the few rows that would straddle two participants.

#include <rbig/types.hpp>

#include "fit/reducer.hpp"
#include "fit/work_buffer.hpp"
#include "stats/exact_sum.hpp"

#include <algorithm>

namespace rbig::detail {

/// The rows of one block for a matrix of `total_rows` rows (all participants'): a power of two,
/// at most 1,024 (the exact adds of a block's sums then cost ~1 % of its floating-point work),
/// and at most total_rows/16 (smaller blocks cost more exact adds: at 10⁴ × 100 blocks of 256
/// rows cost 9 % of a histogram fit, of 512 rows ~4 %). The block never depends on how many
/// participants there are: a participant may hold no block (align_rows).
Index row_block_rows(Index total_rows);

/// Rows per unit of the sums that run value by value (column moments, log-likelihoods): a block,
/// or its 256-row pieces (the rotation's product blocks start at multiples of 256 and so cover
/// whole units; the kde's passes work in chunks of 256).
inline Index sum_unit_rows(Index total_rows) {
  return std::min<Index>(256, row_block_rows(total_rows));
}

/// Σ value(i) for i in [0, n) of an aligned part: each unit of `unit` rows summed in row order,
/// the unit sums added exactly (the same digits whatever the split into participants).
template <class Value>
ExactSum sum_by_units(Index n, Index unit, const Value& value) {
  ExactSum exact;
  for (Index start = 0; start < n; start += unit) {
    const Index end = std::min(n, start + unit);
    double sum = 0.0;
    for (Index i = start; i < end; ++i) sum += value(i);
    exact.add(sum);
  }
  return exact;
}

/// This participant's part of the rows once every part starts at a multiple of
/// row_block_rows(total) and participant 0 holds the first block (the shifts of the exact sums
/// are its first row): a run of its own rows, then the rows moved to it from the participants
/// after it (fewer than a block from each). A part may be empty: it then adds nothing to any
/// block sum, so the fit's sums, and the model, stay those of one process whatever K.
struct AlignedPart {
  Index kept_first = 0;  // the run kept: rows [kept_first, kept_first + kept_rows) of x
  Index kept_rows = 0;
  Matrix received;  // received.cols() == x.cols()

  /// The aligned rows of x, the part this was computed from (no copy of the kept run).
  StackedRows rows(ConstMatrixRef x) const {
    return {x.middleRows(kept_first, kept_rows), received};
  }
};

/// Moves the rows before each participant's first block start to the participants before it
/// (one gather of fewer than a block's rows per participant). In one process all rows are kept.
/// Collective.
AlignedPart align_rows(ConstMatrixRef x, const Reducer& reducer);

/// Calls visit(start, count) for each block of rows [0, rows) of an aligned part, in order: the
/// same global blocks whatever the split (the last one may be shorter).
template <class Visit>
void for_each_row_block(Index rows, Index block_rows, const Visit& visit) {
  for (Index start = 0; start < rows; start += block_rows) {
    visit(start, std::min(block_rows, rows - start));
  }
}

}  // namespace rbig::detail
