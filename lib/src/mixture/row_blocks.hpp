#pragma once
// Rows in fixed blocks on the thread pool: for loops whose rows are independent, so that results
// do not depend on the thread count (each row is computed the same way in any block).

#include "core/parallel.hpp"

#include <algorithm>

namespace rbig::detail {

inline constexpr Index kMixtureRowsPerBlock = 256;

/// Calls body(begin, end) for consecutive blocks of [0, rows) on up to `threads` threads.
template <class Body>
void for_row_blocks(Index rows, int threads, const Body& body) {
  const Index blocks = (rows + kMixtureRowsPerBlock - 1) / kMixtureRowsPerBlock;
  parallel_for(blocks, threads, [&](Index block) {
    const Index begin = block * kMixtureRowsPerBlock;
    body(begin, std::min(rows, begin + kMixtureRowsPerBlock));
  });
}

}  // namespace rbig::detail
