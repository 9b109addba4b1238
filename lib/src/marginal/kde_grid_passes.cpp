#include "marginal/kde_grid_passes.hpp"

#include "core/vector_isa.hpp"

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

void bin_portable(const double* x, Index n, const KdeGrid& grid, double* counts) {
  bin_kernel(x, n, grid, counts);
}

ExactSum log_likelihood_portable(const double* x, Index n, const KdeGrid& grid,
                                 const double* density, Index unit) {
  return log_likelihood_kernel(x, n, grid, density, unit);
}

#if defined(RBIG_DISPATCH_AVX2)
__attribute__((target("avx2"))) void bin_avx2(const double* x, Index n, const KdeGrid& grid,
                                              double* counts) {
  bin_kernel(x, n, grid, counts);
}

__attribute__((target("avx2"))) ExactSum log_likelihood_avx2(const double* x, Index n,
                                                             const KdeGrid& grid,
                                                             const double* density, Index unit) {
  return log_likelihood_kernel(x, n, grid, density, unit);
}
#endif

}  // namespace

void bin_linearly(ConstVectorRef x, const KdeGrid& grid, double* counts) {
#if defined(RBIG_DISPATCH_AVX2)
  if (vector_isa() == VectorIsa::Avx2) return bin_avx2(x.data(), x.size(), grid, counts);
#endif
  bin_portable(x.data(), x.size(), grid, counts);
}

ExactSum negative_log_likelihood(ConstVectorRef x, const KdeGrid& grid, const double* density,
                                 Index unit_rows) {
  const Index unit = std::clamp<Index>(unit_rows, 1, kKdeChunk);
#if defined(RBIG_DISPATCH_AVX2)
  if (vector_isa() == VectorIsa::Avx2)
    return log_likelihood_avx2(x.data(), x.size(), grid, density, unit);
#endif
  return log_likelihood_portable(x.data(), x.size(), grid, density, unit);
}

}  // namespace rbig::detail
