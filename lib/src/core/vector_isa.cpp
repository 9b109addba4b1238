#include "core/vector_isa.hpp"

#include <atomic>

namespace rbig::detail {
namespace {

VectorIsa detected() { return cpu_has_avx2() ? VectorIsa::Avx2 : VectorIsa::Portable; }

std::atomic<VectorIsa>& current() {
  static std::atomic<VectorIsa> isa{detected()};
  return isa;
}

}  // namespace

bool cpu_has_avx2() {
#if defined(RBIG_DISPATCH_AVX2)
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

VectorIsa vector_isa() { return current().load(std::memory_order_relaxed); }

void force_vector_isa(VectorIsa isa) {
  current().store(isa == VectorIsa::Avx2 ? detected() : VectorIsa::Portable,
                  std::memory_order_relaxed);
}

}  // namespace rbig::detail
