#include "marginal/kde_grid_passes.hpp"

#include "core/isa_dispatch.hpp"

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
      counts[cell[i]] += 1.0 - fraction[i];
      counts[cell[i] + 1] += fraction[i];
    }
  }
}

// Each chunk: cells and densities (vectorised; the density a gather), then the logarithms
// subtracted one after the other in row order.
RBIG_ALWAYS_INLINE double log_likelihood_kernel(const double* x, Index n, const KdeGrid& grid,
                                                const double* density) {
  alignas(64) int cell[kKdeChunk];
  alignas(64) double fraction[kKdeChunk];
  alignas(64) double value[kKdeChunk];
  double total = 0.0;
  for (Index start = 0; start < n; start += kKdeChunk) {
    const int count = static_cast<int>(std::min<Index>(kKdeChunk, n - start));
    locate_cells(x + start, count, grid, cell, fraction);
    for (int i = 0; i < count; ++i) {
      const double left = density[cell[i]];
      value[i] = left + (density[cell[i] + 1] - left) * fraction[i];
    }
    for (int i = 0; i < count; ++i) total -= std::log(value[i]);
  }
  return total;
}

}  // namespace

void bin_linearly(ConstVectorRef x, const KdeGrid& grid, double* counts) {
  run_with_best_isa<bin_kernel>(x.data(), x.size(), grid, counts);
}

double negative_log_likelihood(ConstVectorRef x, const KdeGrid& grid, const double* density) {
  return run_with_best_isa<log_likelihood_kernel>(x.data(), x.size(), grid, density);
}

}  // namespace rbig::detail
