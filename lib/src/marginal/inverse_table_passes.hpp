#pragma once
// The tabulated inverse's first pass (InverseTable::invert): each target's cell and its Hermite
// start, in one tight loop over raw arrays.

#include <rbig/types.hpp>

namespace rbig::detail {

/// What the start needs of a table cell, precomputed and in one place: the cubic Hermite
/// interpolant of the inverse, t(s) = s·(c1 + s·(c2 + s·c3)) with s = (z − z0)·inverse_rise and
/// x = x0 + width·t, its slope's scale to dx/dz, and the first step's settle factor.
struct InverseCell {
  double z0;            // h(x0)
  double inverse_rise;  // 1/(h(x0 + width) − h(x0)), 0 for a flat cell
  double x0, width;
  double c1, c2, c3;  // c1 = m0, c2 = 3 − 2m0 − m1, c3 = m0 + m1 − 2 (end slopes in cell units)
  double slope_scale;        // width·inverse_rise: dx/dz = slope_scale·t'(s)
  double exact_ends_factor;  // kFirstStepFactor·width² if m0, m1 are the exact end slopes
                             // (neither clamped nor replaced), else −∞: never settle early
};

/// The table as the passes read it (InverseTable owns the arrays).
struct InverseTableView {
  const double* node;   // x at the nodes, increasing
  const double* value;  // h at the nodes, non-decreasing
  int last_cell;        // cells 0 … last_cell, between node k and k + 1
  const InverseCell* cells;
  // Cell search in O(1): bucket ⌊(z − origin)·per_unit⌋ (at most last_bucket) holds the cell of
  // its lower end, from which a short scan finds the cell of z.
  const int* bucket_cell;
  double origin, per_unit;
  int last_bucket;
};

/// The cell of a target outside the table (or NaN).
constexpr int kOutsideCell = -1;

/// For each of the n targets: its cell (kOutsideCell outside [value[0], value[last_cell + 1]]),
/// the Hermite start (the first node for a target outside), that start's dx/dz and the bound
/// below which the square of a first step has settled (−∞ or NaN: never).
void start_pass(const InverseTableView& table, const double* target, Index n, int* cell,
                double* start, double* inverse_slope, double* settled_squared);

}  // namespace rbig::detail
