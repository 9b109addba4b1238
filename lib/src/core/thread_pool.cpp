#include "core/thread_pool.hpp"

#include <rbig/threads.hpp>

#include "core/machine_load.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rbig::detail {
namespace {

// How long an idle helper keeps yielding before it sleeps: long enough to catch the next loop of
// a layer (they follow each other within microseconds), short enough not to hold a core.
constexpr std::chrono::microseconds kYieldFor{200};

// How often the pool looks at the machine's load (3.6 µs a look, bench_perf --load-look; a fit's
// loops come every few hundred µs or faster): a change of load is followed within this.
constexpr std::chrono::microseconds kLookAtLoadEvery{1000};

// One parallel loop. Shared with the helpers, so a helper that wakes after the caller returned
// touches only this (never the caller's body, whose items are all claimed by then).
struct Job {
  const std::function<void(Index)>* body = nullptr;
  Index count = 0;
  int helpers_wanted = 0;
  std::atomic<Index> next{0};
  std::atomic<Index> done{0};
  std::atomic<int> helpers{0};
  std::mutex mutex;  // guards error, error_item; with `finished`, the caller's wait
  std::condition_variable finished;
  std::exception_ptr error;
  Index error_item = 0;
};

// Claims and runs items until none are left.
void work_on(Job& job) {
  for (;;) {
    const Index i = job.next.fetch_add(1, std::memory_order_relaxed);
    if (i >= job.count) return;
    try {
      (*job.body)(i);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(job.mutex);
      if (!job.error || i < job.error_item) {
        job.error = std::current_exception();
        job.error_item = i;
      }
    }
    if (job.done.fetch_add(1, std::memory_order_acq_rel) + 1 == job.count) {
      const std::lock_guard<std::mutex> lock(job.mutex);
      job.finished.notify_all();
    }
  }
}

class Pool {
 public:
  // Runs the job with up to `helpers` pool threads, fewer when the machine has no idle core for
  // them; false if the pool is busy or no helper would get a core (the caller then runs it).
  bool try_run(const std::shared_ptr<Job>& job, int helpers) {
    if (busy_.exchange(true, std::memory_order_acquire)) return false;
    helpers = std::min(helpers, helpers_with_idle_cores_now());
    if (helpers == 0) {
      busy_.store(false, std::memory_order_release);
      return false;
    }
    add_workers(helpers);
    job->helpers_wanted = helpers;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      job_ = job;
      generation_.fetch_add(1, std::memory_order_release);
      sleeping_.store(0, std::memory_order_relaxed);  // notify_all below wakes every sleeper
    }
    wake_.notify_all();
    work_on(*job);
    {
      std::unique_lock<std::mutex> lock(job->mutex);
      job->finished.wait(lock, [&] { return job->done.load() == job->count; });
    }
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      job_.reset();
    }
    busy_.store(false, std::memory_order_release);
    return true;
  }

 private:
  // A helper that waits for a time slice delays the loop by its item instead of speeding it up
  // (machine_load.hpp). Our own awake helpers are runnable too, so they do not count as others.
  // Only called while busy_ is held, like the members it caches in.
  int helpers_with_idle_cores_now() {
    if (!load_aware_threads()) return std::numeric_limits<int>::max();
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_look_at_load_) {
      const int awake = static_cast<int>(started_) - sleeping_.load(std::memory_order_relaxed);
      const int idle = helpers_with_idle_cores(online_cores_, online_cores_, runnable_threads(),
                                               std::max(0, awake));
      // One look can catch a kernel thread passing by: helpers are left out only when two looks
      // in a row find no core for them.
      idle_helpers_ = std::max(idle, previous_look_);
      previous_look_ = idle;
      next_look_at_load_ = now + kLookAtLoadEvery;
    }
    return idle_helpers_;
  }

  void add_workers(int wanted) {
    // Threads are created on first need and kept; the pool is never destroyed (see pool()).
    // A new helper starts from the generation before the job about to be published: read at its
    // own start instead, it could miss that job (the first loop of a fit then ran on the caller
    // alone: 10–14 ms of a 40-ms fit at 10⁵ × 10).
    const std::uint64_t before = generation_.load(std::memory_order_acquire);
    while (static_cast<int>(started_) < wanted) {
      std::thread([this, before] { worker(before); }).detach();
      ++started_;
    }
  }

  void worker(std::uint64_t seen) {
    for (;;) {
      // Yield for a moment first: on a quiet machine the next loop usually comes within it.
      const auto until = std::chrono::steady_clock::now() + kYieldFor;
      while (generation_.load(std::memory_order_acquire) == seen &&
             std::chrono::steady_clock::now() < until) {
        std::this_thread::yield();
      }
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        if (generation_.load() == seen) {
          sleeping_.fetch_add(1, std::memory_order_relaxed);  // zeroed by the next publish
          wake_.wait(lock, [&] { return generation_.load() != seen; });
        }
        seen = generation_.load();
        job = job_;
      }
      if (!job || job->helpers.fetch_add(1) >= job->helpers_wanted) continue;
      work_on(*job);
    }
  }

  std::atomic<bool> busy_{false};
  std::mutex mutex_;  // guards job_; with wake_, the helpers' sleep
  std::condition_variable wake_;
  std::shared_ptr<Job> job_;
  std::atomic<std::uint64_t> generation_{0};
  size_t started_ = 0;            // only touched while busy_ is held
  std::atomic<int> sleeping_{0};  // helpers asleep on wake_; changed under mutex_
  const int online_cores_ = online_cores();
  std::chrono::steady_clock::time_point next_look_at_load_{};  // these three: while busy_ is held
  int idle_helpers_ = 0;
  int previous_look_ = 0;
};

// Never destroyed: detached helpers may still be waiting on it while the process exits, and a
// forked child (which has none of them) just runs every loop on its one thread.
Pool& pool() {
  static Pool* const instance = new Pool;
  return *instance;
}

}  // namespace

void run_on_pool(Index count, int team, const std::function<void(Index)>& body) {
  if (team > 1 && count > 1) {
    auto job = std::make_shared<Job>();
    job->body = &body;
    job->count = count;
    if (pool().try_run(job, team - 1)) {
      if (job->error) std::rethrow_exception(job->error);
      return;
    }
  }
  for (Index i = 0; i < count; ++i) body(i);
}

}  // namespace rbig::detail
