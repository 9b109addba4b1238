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

#include "marginal/inverse_table_passes.hpp"

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
  /// table; the indices of the others are returned, their x[i] never written (so with z and x
  /// the same memory, which is allowed, x[i] still holds the target).
  std::vector<Index> invert(ConstVectorRef z, VectorRef x, const MapValue& map_value,
                            const MapWithSlope& map) const;

 private:
  InverseTableView view() const;
  InverseCell make_cell(size_t k, double inverse_rise, double m0, double m1, bool exact_ends) const;

  std::vector<double> x_;
  std::vector<double> value_;
  std::vector<InverseCell> cells_;
  // Cell search in O(1): the range of values cut into equal buckets, each with the cell that
  // holds its lower end, from which a short scan finds the cell of z.
  double bucket_origin_ = 0.0;
  double buckets_per_unit_ = 0.0;
  std::vector<int> bucket_cell_;
};

}  // namespace rbig::detail
