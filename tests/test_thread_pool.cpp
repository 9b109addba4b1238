// The thread pool behind parallel_for: each item runs exactly once at every thread count, the
// lowest-numbered item's exception is the one rethrown, and loops nested inside items or started
// from several threads at once complete (serially where the pool is busy). Loops take helpers
// only for idle cores (core/machine_load.hpp): the arithmetic of that choice, and helpers that
// do join when it is turned off.

#include <rbig/error.hpp>
#include <rbig/threads.hpp>

#include "core/machine_load.hpp"
#include "core/parallel.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace rbig;

namespace {

// Helpers join every loop while this lives, whatever else the machine runs (ctest -j2 does).
struct HelpersWhateverTheLoad {
  HelpersWhateverTheLoad() { set_load_aware_threads(false); }
  ~HelpersWhateverTheLoad() { set_load_aware_threads(true); }
};

}  // namespace

TEST_CASE("thread pool: every item runs exactly once, whatever the thread count") {
  const HelpersWhateverTheLoad helpers;
  for (int threads : {1, 2, 3, 8, 0}) {
    for (Index count : {0, 1, 2, 7, 1000}) {
      CAPTURE(threads);
      CAPTURE(count);
      std::vector<std::atomic<int>> runs(static_cast<size_t>(count));
      detail::parallel_for(count, threads, [&](Index i) { ++runs[static_cast<size_t>(i)]; });
      for (const auto& r : runs) CHECK(r.load() == 1);
    }
  }
}

TEST_CASE("thread pool: the exception of the lowest-numbered failing item is rethrown") {
  const HelpersWhateverTheLoad helpers;
  for (int threads : {1, 2, 4}) {
    CAPTURE(threads);
    const auto run = [&] {
      detail::parallel_for(100, threads, [](Index i) {
        if (i % 10 == 3) throw std::runtime_error("item " + std::to_string(i));
      });
    };
    CHECK_THROWS_WITH_AS(run(), "item 3", std::runtime_error);
  }
}

TEST_CASE("thread pool: nested loops and loops from several threads complete") {
  const HelpersWhateverTheLoad helpers;
  std::atomic<Index> total{0};
  detail::parallel_for(8, 2,
                       [&](Index) { detail::parallel_for(10, 2, [&](Index j) { total += j; }); });
  CHECK(total.load() == 8 * 45);
  std::atomic<Index> from_threads{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 3; ++t) {
    callers.emplace_back([&] {
      for (int repeat = 0; repeat < 50; ++repeat) {
        detail::parallel_for(20, 2, [&](Index j) { from_threads += j; });
      }
    });
  }
  for (auto& caller : callers) caller.join();
  CHECK(from_threads.load() == 3 * 50 * 190);
}

TEST_CASE("threads: counts are capped at the cores, and the default is settable") {
  const int cores = available_cores();
  CHECK(cores >= 1);
  CHECK(detail::resolve_threads(cores + 5, 1000) == cores);
  CHECK(detail::resolve_threads(0, 1000) == cores);
  CHECK(detail::resolve_threads(0, 1) == 1);
  set_default_threads(1);
  CHECK(default_threads() == 1);
  CHECK(detail::resolve_threads(0, 1000) == 1);
  set_default_threads(0);
  CHECK(default_threads() == cores);
  CHECK_THROWS_AS(set_default_threads(-1), OptionError);
}

TEST_CASE("thread pool: with load awareness off, a helper runs an item beside the caller") {
  // Each of the two items waits for the other to start: only two threads at once finish both.
  // The wait is bounded, so a missing helper fails the check instead of hanging the test.
  if (available_cores() < 2) return;
  const HelpersWhateverTheLoad helpers;
  std::mutex mutex;
  std::condition_variable changed;
  int started = 0;
  bool met[2] = {false, false};
  detail::parallel_for(2, 2, [&](Index i) {
    std::unique_lock<std::mutex> lock(mutex);
    ++started;
    changed.notify_all();
    met[i] = changed.wait_for(lock, std::chrono::seconds(30), [&] { return started == 2; });
  });
  CHECK(met[0]);
  CHECK(met[1]);
}

TEST_CASE("machine load: the runnable count is read from /proc/loadavg's fourth field") {
  CHECK(detail::parse_runnable_threads("0.57 1.94 1.98 1/86 28612\n") == 1);
  CHECK(detail::parse_runnable_threads("12.00 11.50 9.25 37/1204 99") == 37);
  for (const char* bad : {"", "0.57 1.94", "0.57 1.94 1.98 /86 1", "0.57 1.94 1.98 x/86 1",
                          "0.57 1.94 1.98 12", "0.57 1.94 1.98 12345678901/86 1"}) {
    CAPTURE(bad);
    CHECK(detail::parse_runnable_threads(bad) == -1);
  }
#ifdef __linux__
  CHECK(detail::runnable_threads() >= 1);  // the reading thread itself is running
#endif
  CHECK(detail::online_cores() >= 1);
}

TEST_CASE("machine load: helpers are taken only for cores no other work wants") {
  // 2 cores: alone, one helper; beside one or two busy threads, none.
  CHECK(detail::helpers_with_idle_cores(1, 2, 1, 0) == 1);
  CHECK(detail::helpers_with_idle_cores(1, 2, 2, 0) == 0);
  CHECK(detail::helpers_with_idle_cores(1, 2, 3, 0) == 0);
  // Our own awake helpers are runnable too, and are not other work.
  CHECK(detail::helpers_with_idle_cores(1, 2, 2, 1) == 1);
  CHECK(detail::helpers_with_idle_cores(1, 2, 3, 1) == 0);
  // 8 cores, 3 other runnable threads: 4 idle cores beside the caller's.
  CHECK(detail::helpers_with_idle_cores(7, 8, 4, 0) == 4);
  CHECK(detail::helpers_with_idle_cores(2, 8, 4, 0) == 2);
  // More own helpers than runnable threads (they fell asleep since): no negative count.
  CHECK(detail::helpers_with_idle_cores(7, 8, 1, 3) == 7);
  // Load unknown: every helper asked for.
  CHECK(detail::helpers_with_idle_cores(3, 4, -1, 0) == 3);
}

TEST_CASE("threads: load awareness is on by default and can be switched") {
  CHECK(load_aware_threads());
  set_load_aware_threads(false);
  CHECK_FALSE(load_aware_threads());
  set_load_aware_threads(true);
  CHECK(load_aware_threads());
}
