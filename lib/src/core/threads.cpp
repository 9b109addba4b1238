#include <rbig/threads.hpp>

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <thread>

#ifdef __linux__
#include <sched.h>
#endif

namespace rbig {
namespace {

std::atomic<int> default_count{0};  // 0: all cores
std::atomic<bool> load_aware{true};

}  // namespace

int available_cores() {
#ifdef __linux__
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
#endif
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void set_default_threads(int threads) {
  if (threads < 0) {
    throw OptionError(fmt::format("threads: must be 0 (all cores) or more (got {})", threads));
  }
  default_count.store(threads);
}

int default_threads() {
  const int cores = available_cores();
  const int chosen = default_count.load();
  return chosen > 0 ? std::min(chosen, cores) : cores;
}

void set_load_aware_threads(bool on) { load_aware.store(on, std::memory_order_relaxed); }

bool load_aware_threads() { return load_aware.load(std::memory_order_relaxed); }

}  // namespace rbig
