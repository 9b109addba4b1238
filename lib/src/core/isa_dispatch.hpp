#pragma once
// One call site for a kernel compiled twice, for baseline x86-64 and for AVX2 (vector_isa.hpp).
// The kernel is a function or member function declared RBIG_ALWAYS_INLINE, so each clone below
// inlines its whole body and compiles it for its own instruction set; the clones are instantiated
// in the file that calls run_with_best_isa, where the kernel's body is visible.

#include "core/always_inline.hpp"
#include "core/vector_isa.hpp"

#include <type_traits>

namespace rbig::detail {

/// kKernel(args...), or (args[0]->*kKernel)(args[1...]) for a member function (args[0]: the
/// object's address, as arguments are passed by value).
template <auto kKernel, class First, class... Rest>
RBIG_ALWAYS_INLINE decltype(auto) call_kernel(First&& first, Rest&&... rest) {
  if constexpr (std::is_member_function_pointer_v<decltype(kKernel)>) {
    return (first->*kKernel)(rest...);
  } else {
    return kKernel(first, rest...);
  }
}

template <auto kKernel, class... Args>
decltype(auto) run_portable(Args... args) {
  return call_kernel<kKernel>(args...);
}

#if defined(RBIG_DISPATCH_AVX2)
template <auto kKernel, class... Args>
__attribute__((target("avx2"))) decltype(auto) run_avx2(Args... args) {
  return call_kernel<kKernel>(args...);
}
#endif

/// Runs kAvx2 where the CPU has AVX2 (unless forced portable), kPortable otherwise. Pass a
/// different kAvx2 only for a kernel whose AVX2 form takes other template arguments (wider
/// tiles); results must then still be the same bits (tests/test_vector_isa.cpp).
template <auto kPortable, auto kAvx2 = kPortable, class... Args>
decltype(auto) run_with_best_isa(Args... args) {
#if defined(RBIG_DISPATCH_AVX2)
  if (vector_isa() == VectorIsa::Avx2) return run_avx2<kAvx2>(args...);
#endif
  return run_portable<kPortable>(args...);
}

}  // namespace rbig::detail
