#include "io/output_path.hpp"

#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include "io/posix_file.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <string>
#include <string_view>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rbig::detail {
namespace {

// As the kernel's limit on nested links (ELOOP).
constexpr int kMaxLinks = 40;

/// The pid in `.<filename>.tmp-<pid>-<counter>`, or 0 when `name` is not such a temporary of
/// `filename`.
long temporary_owner(std::string_view name, const std::string& filename) {
  const std::string prefix = "." + filename + ".tmp-";
  if (name.substr(0, prefix.size()) != prefix) return 0;
  name.remove_prefix(prefix.size());
  long pid = 0;
  const char* end = name.data() + name.size();
  const std::from_chars_result parsed = std::from_chars(name.data(), end, pid);
  if (parsed.ec != std::errc() || parsed.ptr == end || *parsed.ptr != '-') return 0;
  unsigned long counter = 0;
  const std::from_chars_result rest = std::from_chars(parsed.ptr + 1, end, counter);
  if (rest.ec != std::errc() || rest.ptr != end) return 0;
  return pid;
}

bool process_exists(long pid) {
  // EPERM: it exists but belongs to someone else.
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

std::filesystem::path resolve_output_path(const std::filesystem::path& path) {
  std::filesystem::path target = path;
  std::error_code error;
  for (int links = 0; std::filesystem::is_symlink(target, error); ++links) {
    if (links == kMaxLinks) {
      throw Error(
          fmt::format("{}: cannot write: more than {} symbolic links", path.string(), kMaxLinks));
    }
    const std::filesystem::path next = std::filesystem::read_symlink(target, error);
    if (error) break;
    target = next.is_absolute() ? next : target.parent_path() / next;
  }
  return target;
}

std::filesystem::path output_folder(const std::filesystem::path& target) {
  return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

std::filesystem::path temporary_name(const std::filesystem::path& target) {
  static std::atomic<unsigned long> counter{0};
  return output_folder(target) / fmt::format(".{}.tmp-{}-{}", target.filename().string(),
                                             static_cast<long>(::getpid()), counter.fetch_add(1));
}

void remove_stale_temporaries(const std::filesystem::path& target) {
  const std::string filename = target.filename().string();
  std::error_code error;
  std::filesystem::directory_iterator entries(output_folder(target), error);
  if (error) return;
  for (const std::filesystem::directory_entry& entry : entries) {
    const long owner = temporary_owner(entry.path().filename().string(), filename);
    if (owner <= 0 || process_exists(owner)) continue;
    std::error_code ignored;
    if (entry.is_regular_file(ignored)) std::filesystem::remove(entry.path(), ignored);
  }
}

}  // namespace rbig::detail

namespace rbig {

void check_writable(const std::filesystem::path& path) {
  const std::string name = path.string();
  const std::filesystem::path target = detail::resolve_output_path(path);
  const std::filesystem::path folder = detail::output_folder(target);
  std::error_code error;
  if (std::filesystem::is_directory(target, error)) {
    throw Error(fmt::format("{}: cannot write: it is a folder (name a file in it)", name));
  }
  if (!std::filesystem::is_directory(folder, error)) {
    throw Error(fmt::format("{}: cannot write: folder {} does not exist", name, folder.string()));
  }
  // What write_file_atomically will do first: create a temporary beside the target.
  const std::filesystem::path probe = detail::temporary_name(target);
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    throw Error(fmt::format("{}: cannot write in folder {}: {}", name, folder.string(),
                            detail::errno_message(errno)));
  }
  ::close(fd);
  std::filesystem::remove(probe, error);
}

}  // namespace rbig
