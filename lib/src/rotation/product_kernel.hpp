#pragma once
// The rotation's block product out = x·m (rotation.cpp), written out instead of Eigen's GEMM so
// that each output element has one fixed arithmetic order, Σ_k x(i,k)·m(k,c) added for k = 0, 1,
// …, D − 1 with no fused multiply-add. The order does not depend on the vector width, so the
// AVX2 clone (chosen once at run time, core/vector_isa.hpp) gives the same bits as the portable
// one: models and outputs stay byte-identical across machines and thread counts.

#include <rbig/types.hpp>

namespace rbig::detail {

/// out ← x·m for a block of rows: x is rows × d with column stride x_stride, m is d × d
/// (column-major, contiguous), out is rows × d with column stride out_stride; out must not
/// overlap x.
void multiply_block(const double* x, Index x_stride, Index rows, const double* m, Index d,
                    double* out, Index out_stride);

}  // namespace rbig::detail
