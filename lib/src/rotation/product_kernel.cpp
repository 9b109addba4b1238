#include "rotation/product_kernel.hpp"

#include "core/isa_dispatch.hpp"

namespace rbig::detail {
namespace {

// A strip of kStripRows rows times kGroup output columns is summed in registers (8 × 4 doubles:
// eight AVX2 registers, sixteen SSE2 ones), reading each x(i, k) once per group and each m(k, c)
// once per strip. GCC's vector extension makes the lanes explicit: an AVX2 clone does one 4-wide
// operation where the portable code does two 2-wide ones, element by element the same arithmetic.
// (SSE2 strips hold 4 rows: 8 of its 16 registers, so that nothing spills.)
template <int kLanes>
constexpr Index kStripRows = 2 * kLanes;
constexpr int kGroup = 4;
// The lanes of one vector register: 2 doubles for SSE2 (the portable build), 4 for AVX2.
template <int kLanes>
struct Vec {
  typedef double Type __attribute__((vector_size(kLanes * sizeof(double)), aligned(8), may_alias));
};

template <int kLanes, int kCols>
RBIG_ALWAYS_INLINE void multiply_strip(const double* x, Index x_stride, const double* m, Index d,
                                       Index m_stride, double* out, Index out_stride) {
  using Lanes = typename Vec<kLanes>::Type;
  constexpr int kStripVectors = kStripRows<kLanes> / kLanes;
  Lanes acc[kCols][kStripVectors];
  for (int c = 0; c < kCols; ++c) {
    const double weight = m[c * m_stride];
    for (int v = 0; v < kStripVectors; ++v) {
      acc[c][v] = *reinterpret_cast<const Lanes*>(x + v * kLanes) * weight;
    }
  }
  for (Index k = 1; k < d; ++k) {
    const double* column = x + k * x_stride;
    Lanes values[kStripVectors];
    for (int v = 0; v < kStripVectors; ++v) {
      values[v] = *reinterpret_cast<const Lanes*>(column + v * kLanes);
    }
    for (int c = 0; c < kCols; ++c) {
      const double weight = m[k + c * m_stride];
      for (int v = 0; v < kStripVectors; ++v) acc[c][v] += values[v] * weight;
    }
  }
  for (int c = 0; c < kCols; ++c) {
    for (int v = 0; v < kStripVectors; ++v) {
      *reinterpret_cast<Lanes*>(out + c * out_stride + v * kLanes) = acc[c][v];
    }
  }
}

// The rows after the last whole strip: the same operations in the same order, one row at a time.
RBIG_ALWAYS_INLINE void multiply_row(const double* x, Index x_stride, const double* m, Index d,
                                     Index cols, double* out, Index out_stride) {
  for (Index c = 0; c < cols; ++c) {
    const double* weights = m + c * d;
    double sum = x[0] * weights[0];
    for (Index k = 1; k < d; ++k) sum += x[k * x_stride] * weights[k];
    out[c * out_stride] = sum;
  }
}

template <int kLanes>
RBIG_ALWAYS_INLINE void multiply_block_body(const double* x, Index x_stride, Index rows,
                                            const double* m, Index d, double* out,
                                            Index out_stride) {
  constexpr Index kStrip = kStripRows<kLanes>;
  const Index whole = rows - rows % kStrip;
  Index c = 0;
  for (; c + kGroup <= d; c += kGroup) {
    for (Index i = 0; i < whole; i += kStrip) {
      multiply_strip<kLanes, kGroup>(x + i, x_stride, m + c * d, d, d, out + c * out_stride + i,
                                     out_stride);
    }
  }
  for (; c < d; ++c) {  // the last d mod 4 columns, one at a time
    for (Index i = 0; i < whole; i += kStrip) {
      multiply_strip<kLanes, 1>(x + i, x_stride, m + c * d, d, d, out + c * out_stride + i,
                                out_stride);
    }
  }
  for (Index i = whole; i < rows; ++i) multiply_row(x + i, x_stride, m, d, d, out + i, out_stride);
}

}  // namespace

void multiply_block(const double* x, Index x_stride, Index rows, const double* m, Index d,
                    double* out, Index out_stride) {
  run_with_best_isa<multiply_block_body<2>, multiply_block_body<4>>(x, x_stride, rows, m, d, out,
                                                                    out_stride);
}

}  // namespace rbig::detail
