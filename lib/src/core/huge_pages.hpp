#pragma once
// Transparent huge pages for the few large matrices a fit or a CSV read writes once from scratch
// (the data, the work copy). Where THP is in "madvise" mode (Debian's default), a fresh 8 MB
// matrix otherwise takes 2,048 page faults of 4 KiB on its first write; on a virtualised machine
// each costs microseconds, ~8 % of a 10⁵×10 histogram fit (issue 16). A hint only: the values and
// results are the same with or without it.

#include <cstddef>

namespace rbig::detail {

/// Asks for huge pages on the 2 MiB-aligned part of [data, data + bytes), before its first
/// write; does nothing below a few MiB or where the system has no such hint.
void advise_huge_pages(void* data, std::size_t bytes);

}  // namespace rbig::detail
