#pragma once
// The inverse of an increasing map h that is known only through batched evaluations of h and h'
// (the damped blend, which has no closed-form inverse). A table of h and h' at nodes between
// which h is smooth (the fitted map's grid, bin edges or knots, each cell split in a few) gives
// each target its cell, which brackets the solution, and a start from the cubic Hermite
// interpolant of the inverse. One evaluation of h alone there and a Newton step with the
// interpolant's slope settle nearly every value (the start was within about 1e-9 of its
// cell), so inverting costs about one forward map instead of the 64 of a bisection; the rest
// take safeguarded Newton steps with h' inside the bracket, which converge quadratically. Targets
// outside the table (the tails), NaN and the rare values that do not settle within a few steps are
// reported back for the caller's exact fallback.

#include <rbig/types.hpp>

#include <cstddef>
#include <functional>
#include <vector>

namespace rbig::detail {

/// Fills value = h(x) and slope = h'(x) (> 0) for every x; x, value and slope never alias.
using MapWithSlope = std::function<void(ConstVectorRef x, VectorRef value, VectorRef slope)>;
/// Fills value = h(x), the same bits as MapWithSlope's value, for every x.
using MapValue = std::function<void(ConstVectorRef x, VectorRef value)>;

class InverseTable {
 public:
  /// nodes: increasing, at least 2; each cell between two nodes is split into `subdivisions`
  /// equal parts, and h is evaluated once at every resulting node.
  InverseTable(const std::vector<double>& nodes, int subdivisions, const MapWithSlope& map);

  /// x[i] = h⁻¹(z[i]) to within a relative 1e-12 or so of its cell, for every target inside the
  /// table; the indices of the others are returned (their x[i] is left unset). z and x may be
  /// the same memory.
  std::vector<Index> invert(ConstVectorRef z, VectorRef x, const MapValue& map_value,
                            const MapWithSlope& map) const;

 private:
  struct Start {
    double x;   // cubic Hermite estimate of h⁻¹(z)
    double lo;  // the cell's nodes: h(lo) ≤ z ≤ h(hi)
    double hi;
    double inverse_slope;    // the start's dx/dz, the Hermite interpolant's slope there
    double settled_squared;  // a first step whose square is at most this has settled; < 0: never
  };
  bool covers(double z) const { return z >= value_.front() && z <= value_.back(); }
  size_t cell_of(double z) const;
  Start start(double z) const;

  // What the start needs of a cell, precomputed: its Hermite end slopes in cell units.
  struct Cell {
    double inverse_rise;  // 1/(h(x_{k+1}) − h(x_k)), 0 for a flat cell
    double m0, m1;
    bool exact_ends;  // m0 and m1 are the exact end slopes (neither clamped nor replaced)
  };
  std::vector<double> x_;
  std::vector<double> value_;
  std::vector<Cell> cells_;
  // Cell search in O(1): the range of values cut into equal buckets, each with the cell that
  // holds its lower end, from which a short scan finds the cell of z.
  double bucket_origin_ = 0.0;
  double buckets_per_unit_ = 0.0;
  std::vector<size_t> bucket_cell_;
};

}  // namespace rbig::detail
