#pragma once
// Deterministic parallel loops on the library's thread pool (thread_pool.hpp).
//
// Work is always cut into the same fixed items (columns, or row blocks of a fixed size) whatever
// the thread count, each item writes only its own outputs, and callers reduce in item order: the
// number of threads changes the speed, never a result (STYLE.md, "Randomness").

#include <rbig/cancel.hpp>
#include <rbig/threads.hpp>
#include <rbig/types.hpp>

#include "core/thread_pool.hpp"

#include <algorithm>
#include <functional>

namespace rbig::detail {

/// Threads to use for a request: 0 means default_threads() (all cores unless the program set
/// less); never more than the cores this process may use, nor than there are items.
inline int resolve_threads(int requested, Index items) {
  const int available = requested > 0 ? std::min(requested, available_cores()) : default_threads();
  return static_cast<int>(std::max<Index>(1, std::min<Index>(available, items)));
}

/// Calls body(i) for i in [0, count) on up to `threads` threads (0: all cores). If items throw,
/// the exception of the lowest-numbered item is rethrown, as in a serial loop. Each item first
/// checks for cancellation (rbig/cancel.hpp): every parallel loop stops within one item.
template <class Body>
void parallel_for(Index count, int threads, const Body& body) {
  const int team = resolve_threads(threads, count);
  if (team <= 1) {
    for (Index i = 0; i < count; ++i) {
      throw_if_cancelled();
      body(i);
    }
    return;
  }
  run_on_pool(count, team, std::function<void(Index)>([&body](Index i) {
                throw_if_cancelled();
                body(i);
              }));
}

}  // namespace rbig::detail
