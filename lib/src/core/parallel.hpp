#pragma once
// Deterministic parallel loops (OpenMP when available, otherwise serial).
//
// Work is always cut into the same fixed items (columns, or row blocks of a fixed size) whatever
// the thread count, each item writes only its own outputs, and callers reduce in item order: the
// number of threads changes the speed, never a result (STYLE.md, "Randomness").

#include <rbig/cancel.hpp>
#include <rbig/types.hpp>

#include <algorithm>
#include <exception>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace rbig::detail {

/// Threads to use for a request: 0 means all cores; never more than there are items.
inline int resolve_threads(int requested, Index items) {
#ifdef _OPENMP
  const int available = requested > 0 ? requested : omp_get_max_threads();
#else
  const int available = 1;
  (void)requested;
#endif
  return static_cast<int>(std::max<Index>(1, std::min<Index>(available, items)));
}

/// Calls body(i) for i in [0, count) on up to `threads` threads (0: all cores). If items throw,
/// the exception of the lowest-numbered item is rethrown, as in a serial loop. Each item first
/// checks for cancellation (rbig/cancel.hpp): every parallel loop stops within one item.
template <class Body>
void parallel_for(Index count, int threads, const Body& body) {
  const int team = resolve_threads(threads, count);
  std::exception_ptr error;
  Index error_item = count;
#pragma omp parallel for schedule(dynamic, 1) num_threads(team) if (team > 1)
  for (Index i = 0; i < count; ++i) {
    try {
      throw_if_cancelled();
      body(i);
    } catch (...) {
#pragma omp critical(rbig_parallel_error)
      if (i < error_item) {
        error_item = i;
        error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace rbig::detail
