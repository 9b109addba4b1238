#include "allocator.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace rbig::cli {

void keep_freed_memory() {
#if defined(__GLIBC__)
  // Blocks up to 32 MiB (glibc's largest mmap threshold on 64-bit) come from the heap rather
  // than from their own mmap, and the heap's top is not trimmed below 1 GiB of free space: a
  // block freed by one layer serves the next.
  constexpr int kLargestMmapThreshold = 32 << 20;
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kLargestMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, kOneGiB);
#endif
}

}  // namespace rbig::cli
