#pragma once
// The kde marginal's passes over a column, value by value on its uniform grid (marginal_kde.cpp):
// where each value lies on the grid, the linear binning of a fit and the resubstitution
// log-likelihood of the binned estimate. They run in chunks of short passes that vectorise (the
// division too), with an AVX2 clone chosen at run time (core/vector_isa.hpp); each value gets the
// arithmetic of the scalar loops they replace, in the same order, so the same bits.

#include <rbig/types.hpp>

#include "core/always_inline.hpp"
#include "stats/exact_sum.hpp"

#include <algorithm>

namespace rbig::detail {

/// Values per chunk of the batched loops: their scratch arrays stay in L1.
inline constexpr int kKdeChunk = 256;

/// Nodes g_j = lower + j·step, j = 0…last_cell + 1 (cells 0…last_cell).
struct KdeGrid {
  double lower;
  double step;
  int last_cell;
};

/// For each of x[0…count): its cell j ∈ [0, last_cell] at t = (x − lower)/step and its fraction
/// u = t − j clamped to [0, 1]. Below the grid (and for NaN) cell 0, beyond it the last cell.
RBIG_ALWAYS_INLINE void locate_cells(const double* x, int count, const KdeGrid& grid, int* cell,
                                     double* fraction) {
  const double last = static_cast<double>(grid.last_cell);
  for (int i = 0; i < count; ++i) {
    const double t = (x[i] - grid.lower) / grid.step;
    // Clamped before the conversion, which would overflow int far outside; (0 < t ? t : 0)
    // also sends NaN to cell 0.
    const int j = static_cast<int>(std::min(0.0 < t ? t : 0.0, last));
    cell[i] = j;
    fraction[i] = std::clamp(t - static_cast<double>(j), 0.0, 1.0);
  }
}

/// Linear binning (Jones & Lotwick 1984): each value adds 1 − u to counts[j] and u to
/// counts[j + 1], in row order. counts holds last_cell + 2 entries.
void bin_linearly(ConstVectorRef x, const KdeGrid& grid, double* counts);

/// u rounded to a multiple of 2⁻¹⁶ (to nearest, even; u in [0, 1]): binned counts are then
/// multiples of 2⁻¹⁶ and, below 2³⁷, add exactly in any order and split among participants
/// (issue 18). It moves a value's weight by at most 2⁻¹⁷ of a cell.
RBIG_ALWAYS_INLINE double binning_weight(double u) {
  constexpr double kRound = 0x1.8p52;  // adding it rounds u·2¹⁶ to an integer
  return ((u * 65536.0 + kRound) - kRound) * 0x1p-16;
}

/// −Σ_i log f(x_i), f linear between density[j] and density[j + 1] in the cell of x_i (the
/// resubstitution entropy times N): each unit of `unit_rows` ≤ kKdeChunk values summed in row
/// order, the unit sums added exactly (row_alignment.hpp: the same digits for any split).
ExactSum negative_log_likelihood(ConstVectorRef x, const KdeGrid& grid, const double* density,
                                 Index unit_rows);

}  // namespace rbig::detail
