#pragma once
// Runtime choice of the instruction set for the hot element loops (issue 16). The portable build
// targets baseline x86-64; a few kernels also have an AVX2 clone (no FMA: the same operations in
// the same order, so the same bits) taken when the CPU has AVX2. The choice is made once, from
// the CPU; tests force the portable path to check that both give the same bytes.

namespace rbig::detail {

enum class VectorIsa { Portable, Avx2 };

/// The instruction set the kernels use now: the CPU's best unless forced.
VectorIsa vector_isa();

/// Forces `isa` (Avx2 only takes effect on a CPU that has it); for tests and benchmarks. Not
/// thread-safe against running kernels: call it between fits.
void force_vector_isa(VectorIsa isa);

/// True when this build can dispatch (x86-64 with GCC or Clang) and the CPU has AVX2.
bool cpu_has_avx2();

}  // namespace rbig::detail
