#pragma once
// Wall-clock timing shared by the benchmarks: a monotonic clock (steady_clock, never adjusted)
// and the best-of-repeats rule the speed tables use.

#include <algorithm>
#include <chrono>

namespace rbig::bench {

using Clock = std::chrono::steady_clock;

/// Seconds elapsed since `start`.
inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Seconds of the fastest of repeated runs of f, after one untimed warm-up run (which also takes
/// the first-touch page faults of fresh buffers), repeated until at least min_seconds have been
/// spent and at least 3 runs made: the minimum is the least disturbed by other jobs.
template <class F>
double best_time(double min_seconds, const F& f) {
  f();
  double best = 1e300;
  double spent = 0.0;
  int runs = 0;
  do {
    ++runs;
    const Clock::time_point start = Clock::now();
    f();
    const double t = seconds_since(start);
    best = std::min(best, t);
    spent += t;
  } while (spent < min_seconds || runs < 3);
  return best;
}

}  // namespace rbig::bench
