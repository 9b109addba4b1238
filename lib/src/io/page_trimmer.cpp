#include "io/page_trimmer.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
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
    if (statm_ >= 0) ::close(statm_);
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
      if (resident_shared_bytes() > kResidentBudget) {
        for (const Region& region : regions_) trim_pages(region.base, region.bytes);
      }
      wake_.wait_for(lock, kTrimPeriod, [this] { return stop_; });
    }
  }

  /// Resident file-backed and shared memory pages of this process (statm's third field), in
  /// bytes; 0 when it cannot be read (then nothing is trimmed).
  std::size_t resident_shared_bytes() {
    if (statm_ < 0) statm_ = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    char text[256];
    const ssize_t got = statm_ < 0 ? -1 : ::pread(statm_, text, sizeof text - 1, 0);
    if (got <= 0) return 0;
    text[got] = '\0';
    unsigned long size = 0, resident = 0, shared = 0;
    if (std::sscanf(text, "%lu %lu %lu", &size, &resident, &shared) != 3) return 0;
    return static_cast<std::size_t>(shared) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  int statm_ = -1;
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
