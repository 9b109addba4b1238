#include "marginal/inverse_table_passes.hpp"

#include <algorithm>

namespace rbig::detail {

// The pass reads the table through locals: stores through the outputs then cannot alias its
// fields, which would reload them for every value. (Chunked variants with AVX2 clones did not
// vectorise: GCC's generic tuning emits no gathers, and the scalar loop took fewer instructions.)

void start_pass(const InverseTableView& table, const double* target, Index n, int* cell_out,
                double* start, double* inverse_slope, double* settled_squared) {
  const double* const node = table.node;
  const double* const value = table.value;
  const int last_cell = table.last_cell;
  const InverseCell* const cells = table.cells;
  const int* const bucket_cell = table.bucket_cell;
  const double origin = table.origin;
  const double per_unit = table.per_unit;
  const double lowest = value[0];
  const double highest = value[last_cell + 1];
  const double last_bucket = static_cast<double>(table.last_bucket);
  for (Index i = 0; i < n; ++i) {
    const double z = target[i];
    if (!(z >= lowest && z <= highest)) {  // outside the table, or NaN
      cell_out[i] = kOutsideCell;
      start[i] = node[0];
      continue;
    }
    // ≥ 0 inside the table; NaN (an infinite span times 0) goes to bucket 0, by std::max's
    // order of operands. A signed conversion: one instruction, where size_t's takes several.
    const double position = std::min(std::max(0.0, (z - origin) * per_unit), last_bucket);
    int k = bucket_cell[static_cast<int>(position)];
    while (k > 0 && value[k] > z) --k;  // undoes a rounding of the position
    while (k < last_cell && value[k + 1] <= z) ++k;
    cell_out[i] = k;
    const InverseCell& c = cells[k];
    const double s = std::clamp((z - c.z0) * c.inverse_rise, 0.0, 1.0);
    const double t = s * (c.c1 + s * (c.c2 + s * c.c3));
    const double t_slope = c.c1 + s * (2.0 * c.c2 + 3.0 * s * c.c3);
    start[i] = c.x0 + std::clamp(t, 0.0, 1.0) * c.width;
    inverse_slope[i] = c.slope_scale * t_slope;
    // −∞ or NaN (never settles) for a cell without exact end slopes, whose factor is −∞.
    settled_squared[i] = c.exact_ends_factor * (s - s * s);
  }
}

}  // namespace rbig::detail
