#include "marginal/kde_grid_passes.hpp"

#include "core/isa_dispatch.hpp"

#include <algorithm>
#include <cmath>

namespace rbig::detail {
namespace {

// Each chunk: the cells of its values (vectorised), then the scattered additions one value after
// the other, as the scalar loop made them.
RBIG_ALWAYS_INLINE void bin_kernel(const double* x, Index n, const KdeGrid& grid, double* counts) {
  alignas(64) int cell[kKdeChunk];
  alignas(64) double fraction[kKdeChunk];
  for (Index start = 0; start < n; start += kKdeChunk) {
    const int count = static_cast<int>(std::min<Index>(kKdeChunk, n - start));
    locate_cells(x + start, count, grid, cell, fraction);
    for (int i = 0; i < count; ++i) {
      const double weight = binning_weight(fraction[i]);
      counts[cell[i]] += 1.0 - weight;
      counts[cell[i] + 1] += weight;
    }
  }
}

// Each unit: cells and densities (vectorised; the density a gather), then the logarithms
// subtracted one after the other in row order.
RBIG_ALWAYS_INLINE ExactSum log_likelihood_kernel(const double* x, Index n, const KdeGrid& grid,
                                                  const double* density, Index unit) {
  alignas(64) int cell[kKdeChunk];
  alignas(64) double fraction[kKdeChunk];
  alignas(64) double value[kKdeChunk];
  ExactSum exact;
  for (Index start = 0; start < n; start += unit) {
    const int count = static_cast<int>(std::min(unit, n - start));
    locate_cells(x + start, count, grid, cell, fraction);
    for (int i = 0; i < count; ++i) {
      const double left = density[cell[i]];
      value[i] = left + (density[cell[i] + 1] - left) * fraction[i];
    }
    double total = 0.0;
    for (int i = 0; i < count; ++i) total -= std::log(value[i]);
    exact.add(total);
  }
  return exact;
}

}  // namespace

void bin_linearly(ConstVectorRef x, const KdeGrid& grid, double* counts) {
  run_with_best_isa<bin_kernel>(x.data(), x.size(), grid, counts);
}

ExactSum negative_log_likelihood(ConstVectorRef x, const KdeGrid& grid, const double* density,
                                 Index unit_rows) {
  const Index unit = std::clamp<Index>(unit_rows, 1, kKdeChunk);
  return run_with_best_isa<log_likelihood_kernel>(x.data(), x.size(), grid, density, unit);
}

}  // namespace rbig::detail
