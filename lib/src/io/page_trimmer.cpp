#include "io/page_trimmer.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace rbig::detail {
namespace {

struct Region {
  void* base;
  std::size_t bytes;
};

// One thread for the process, started with the first region and joined at exit. It trims under
// the lock, so a region unregistered (then unmapped by its owner) is never trimmed after.
class PageTrimmer {
 public:
  ~PageTrimmer() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  void add(void* base, std::size_t bytes) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      regions_.push_back({base, bytes});
      if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    wake_.notify_all();
  }

  void remove(void* base) {
    const std::lock_guard<std::mutex> lock(mutex_);
    regions_.erase(std::remove_if(regions_.begin(), regions_.end(),
                                  [base](const Region& r) { return r.base == base; }),
                   regions_.end());
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      if (regions_.empty()) {
        wake_.wait(lock, [this] { return stop_ || !regions_.empty(); });
        continue;
      }
      for (const Region& region : regions_) trim_pages(region.base, region.bytes);
      wake_.wait_for(lock, kTrimPeriod, [this] { return stop_; });
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Region> regions_;
  std::thread thread_;
  bool stop_ = false;
};

PageTrimmer& trimmer() {
  static PageTrimmer instance;
  return instance;
}

}  // namespace

void register_trimmed(void* base, std::size_t bytes) { trimmer().add(base, bytes); }

void unregister_trimmed(void* base) { trimmer().remove(base); }

void trim_pages(void* base, std::size_t bytes) {
  // Fails only for a bad range, which the owner's checks exclude; a failed trim changes nothing.
  static_cast<void>(::madvise(base, bytes, MADV_DONTNEED));
}

}  // namespace rbig::detail
