#include "rotation/cross_product_kernel.hpp"

#include "core/isa_dispatch.hpp"

namespace rbig::detail {
namespace {

constexpr int kLanes = 4;  // of every sum, whatever the vector width

template <int kWidth>
struct Vec {
  typedef double Type __attribute__((vector_size(kWidth * sizeof(double)), aligned(8), may_alias));
};

// product(a, b) for a in [a0, a0 + kA) and b in [b0, b0 + kB), a ≥ b only, over all rows.
template <int kWidth, int kA, int kB>
RBIG_ALWAYS_INLINE void tile(const double* y, Index y_stride, Index rows, Index d, Index a0,
                             Index b0, double* product) {
  using Lanes = typename Vec<kWidth>::Type;
  constexpr int kVectors = kLanes / kWidth;
  Lanes acc[kA][kB][kVectors] = {};
  const Index whole = rows - rows % kLanes;
  const double* ya[kA];
  const double* yb[kB];
  for (int a = 0; a < kA; ++a) ya[a] = y + (a0 + a) * y_stride;
  for (int b = 0; b < kB; ++b) yb[b] = y + (b0 + b) * y_stride;
  for (Index i = 0; i < whole; i += kLanes) {
    Lanes va[kA][kVectors];
    Lanes vb[kB][kVectors];
    for (int a = 0; a < kA; ++a) {
      for (int v = 0; v < kVectors; ++v)
        va[a][v] = *reinterpret_cast<const Lanes*>(ya[a] + i + v * kWidth);
    }
    for (int b = 0; b < kB; ++b) {
      for (int v = 0; v < kVectors; ++v)
        vb[b][v] = *reinterpret_cast<const Lanes*>(yb[b] + i + v * kWidth);
    }
    for (int a = 0; a < kA; ++a) {
      for (int b = 0; b < kB; ++b) {
        for (int v = 0; v < kVectors; ++v) acc[a][b][v] += va[a][v] * vb[b][v];
      }
    }
  }
  for (int a = 0; a < kA; ++a) {
    for (int b = 0; b < kB; ++b) {
      if (a0 + a < b0 + b) continue;  // upper triangle
      double lane[kLanes];
      for (int v = 0; v < kVectors; ++v) {
        for (int w = 0; w < kWidth; ++w) lane[v * kWidth + w] = acc[a][b][v][w];
      }
      for (Index i = whole; i < rows; ++i) lane[i - whole] += ya[a][i] * yb[b][i];
      product[(b0 + b) * d + a0 + a] += (lane[0] + lane[1]) + (lane[2] + lane[3]);
    }
  }
}

// Tiles of kA × kB pairs over the lower triangle; the last rows and columns one pair at a time.
template <int kWidth, int kA, int kB>
RBIG_ALWAYS_INLINE void add_cross_products_body(const double* y, Index y_stride, Index rows,
                                                Index d, double* product, double* sums) {
  const Index a_whole = d - d % kA;
  const Index b_whole = d - d % kB;
  for (Index a0 = 0; a0 < a_whole; a0 += kA) {
    Index b0 = 0;
    for (; b0 < b_whole && b0 <= a0 + kA - 1; b0 += kB) {
      tile<kWidth, kA, kB>(y, y_stride, rows, d, a0, b0, product);
    }
    for (; b0 <= a0 + kA - 1 && b0 < d; ++b0)
      tile<kWidth, kA, 1>(y, y_stride, rows, d, a0, b0, product);
  }
  for (Index a0 = a_whole; a0 < d; ++a0) {
    Index b0 = 0;
    for (; b0 + kB <= a0 + 1; b0 += kB) tile<kWidth, 1, kB>(y, y_stride, rows, d, a0, b0, product);
    for (; b0 <= a0; ++b0) tile<kWidth, 1, 1>(y, y_stride, rows, d, a0, b0, product);
  }
  // Column sums with the same lanes.
  for (Index a = 0; a < d; ++a) {
    const double* column = y + a * y_stride;
    double lane[kLanes] = {};
    const Index whole = rows - rows % kLanes;
    for (Index i = 0; i < whole; i += kLanes) {
      for (int w = 0; w < kLanes; ++w) lane[w] += column[i + w];
    }
    for (Index i = whole; i < rows; ++i) lane[i - whole] += column[i];
    sums[a] += (lane[0] + lane[1]) + (lane[2] + lane[3]);
  }
}

}  // namespace

void add_cross_products(const double* y, Index y_stride, Index rows, Index d, double* product,
                        double* sums) {
  run_with_best_isa<add_cross_products_body<2, 2, 2>, add_cross_products_body<4, 2, 4>>(
      y, y_stride, rows, d, product, sums);
}

}  // namespace rbig::detail
