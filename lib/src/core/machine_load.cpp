#include "core/machine_load.hpp"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <thread>

#ifdef __linux__
#include <fcntl.h>
#include <unistd.h>
#endif

namespace rbig::detail {

int parse_runnable_threads(std::string_view loadavg) {
  // "0.57 1.94 1.98 1/86 28612": skip three fields, then read the number before '/'.
  size_t at = 0;
  for (int field = 0; field < 3; ++field) {
    at = loadavg.find(' ', at);
    if (at == std::string_view::npos) return -1;
    ++at;
  }
  const char* const end = loadavg.data() + loadavg.size();
  int runnable = 0;
  const auto [after, error] = std::from_chars(loadavg.data() + at, end, runnable);
  if (error != std::errc() || after == end || *after != '/' || runnable < 0) return -1;
  return runnable;
}

int runnable_threads() {
#ifdef __linux__
  // open/read/close, 3.6 µs (bench_perf --load-look): no stdio buffer, no allocation.
  const int fd = ::open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char text[128];
  const ssize_t got = ::read(fd, text, sizeof text);
  ::close(fd);
  if (got <= 0) return -1;
  return parse_runnable_threads(std::string_view(text, static_cast<size_t>(got)));
#else
  return -1;
#endif
}

int online_cores() {
#ifdef __linux__
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (online > 0) return static_cast<int>(online);
#endif
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

int helpers_with_idle_cores(int wanted, int online, int runnable, int own_awake) {
  if (runnable < 0) return wanted;
  const int others = std::max(0, runnable - 1 - own_awake);
  // The caller takes one core; a helper needs another that no one else wants.
  const int idle_for_helpers = online - 1 - others;
  return std::clamp(idle_for_helpers, 0, wanted);
}

}  // namespace rbig::detail
