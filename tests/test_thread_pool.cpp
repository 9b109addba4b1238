// The thread pool behind parallel_for: each item runs exactly once at every thread count, the
// lowest-numbered item's exception is the one rethrown, and loops nested inside items or started
// from several threads at once complete (serially where the pool is busy).

#include <rbig/error.hpp>
#include <rbig/threads.hpp>

#include "core/parallel.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace rbig;

TEST_CASE("thread pool: every item runs exactly once, whatever the thread count") {
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
