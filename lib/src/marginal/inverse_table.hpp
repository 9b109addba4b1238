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
  // The first pass's state per value, as arrays: the cell (kOutside for a target outside the
  // table), the cubic Hermite estimate of h⁻¹(z), its dx/dz (the interpolant's slope there) and
  // the bound below which the square of a first step has settled (< 0: never).
  struct FirstPass {
    std::vector<size_t> cell;
    Vector at;
    Vector inverse_slope;
    Vector settled_squared;
  };
  static constexpr size_t kOutside = static_cast<size_t>(-1);
  bool covers(double z) const { return z >= value_.front() && z <= value_.back(); }
  size_t cell_of(double z) const;
  /// Fills entry i of pass for target z in cell k.
  void start(double z, size_t k, FirstPass& pass, Index i) const;

  // What the start needs of a cell, precomputed and in one place: the cubic Hermite interpolant
  // of the inverse, t(s) = s·(c1 + s·(c2 + s·c3)) with s = (z − z0)·inverse_rise and
  // x = x0 + width·t, its slope's scale to dx/dz, and the first step's settle factor.
  struct Cell {
    double z0;            // h(x0)
    double inverse_rise;  // 1/(h(x0 + width) − h(x0)), 0 for a flat cell
    double x0, width;
    double c1, c2, c3;  // c1 = m0, c2 = 3 − 2m0 − m1, c3 = m0 + m1 − 2 (end slopes in cell units)
    double slope_scale;        // width·inverse_rise: dx/dz = slope_scale·t'(s)
    double exact_ends_factor;  // kFirstStepFactor·width² if m0, m1 are the exact end slopes
                               // (neither clamped nor replaced), else −1: never settle early
  };
  Cell make_cell(size_t k, double inverse_rise, double m0, double m1, bool exact_ends) const;

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
