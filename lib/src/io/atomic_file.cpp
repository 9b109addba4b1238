// Atomic output: write a temporary file beside the target, fsync it, rename it over the target.
// rename() within one directory is atomic on POSIX, so a reader sees the old file or the complete
// new one, never a prefix; a crash or a throwing writer leaves the old file as it was.

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include "io/output_path.hpp"
#include "io/posix_file.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rbig {
namespace {

/// Removes the temporary file on scope exit unless it was renamed: on any failure the directory is
/// left as it was found.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~TemporaryFile() {
    std::error_code ignored;
    if (!renamed_) std::filesystem::remove(path_, ignored);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::filesystem::path& path() const { return path_; }
  void mark_renamed() { renamed_ = true; }

 private:
  std::filesystem::path path_;
  bool renamed_ = false;
};

/// Gives the new file the permissions of the file it replaces (best effort: the default mode is a
/// fine fallback).
void copy_mode(const std::filesystem::path& target, int fd) {
  struct stat status {};
  if (::stat(target.c_str(), &status) == 0 && S_ISREG(status.st_mode)) {
    (void)::fchmod(fd, status.st_mode & 07777);
  }
}

/// After the rename the new directory entry must reach the disk too. Some file systems cannot fsync
/// a directory; the file itself is already durable, so failures here are ignored.
void sync_directory(const std::filesystem::path& directory) {
  const detail::FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) (void)::fsync(dir.get());
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write) {
  const std::string name = path.string();
  // A link named as the output stays a link: the file it points to gets the new content.
  const std::filesystem::path target = detail::resolve_output_path(path);
  const std::filesystem::path directory = detail::output_folder(target);
  detail::remove_stale_temporaries(target);

  // O_EXCL: never truncate a file someone else owns. The descriptor stays open for fsync, which
  // flushes the file whichever descriptor wrote it.
  const std::filesystem::path temporary_path = detail::temporary_name(target);
  const detail::FileDescriptor fd(
      ::open(temporary_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (fd.get() < 0) {
    throw Error(fmt::format("{}: cannot create temporary file in {:?}: {}", name,
                            directory.string(), detail::errno_message(errno)));
  }
  TemporaryFile temporary(temporary_path);
  copy_mode(target, fd.get());

  {
    std::ofstream out(temporary.path(), std::ios::binary | std::ios::trunc);
    if (!out) {
      throw Error(fmt::format("{}: cannot open temporary file {:?}: {}", name,
                              temporary_path.string(), detail::errno_message(errno)));
    }
    errno = 0;  // so that a failed write below reports its own cause
    write(out);
    out.close();  // flushes; failbit on a failed flush or close
    if (!out) {
      const int error = errno;
      throw Error(fmt::format("{}: write failed: {}", name,
                              error != 0 ? detail::errno_message(error) : "stream error"));
    }
  }
  if (::fsync(fd.get()) != 0) {
    throw Error(fmt::format("{}: write failed: cannot sync to disk: {}", name,
                            detail::errno_message(errno)));
  }

  // The last moment to abandon the new file: after the rename the old one is gone.
  throw_if_cancelled();
  std::error_code error;
  std::filesystem::rename(temporary.path(), target, error);
  if (error) throw Error(fmt::format("{}: cannot replace file: {}", name, error.message()));
  temporary.mark_renamed();
  sync_directory(directory);
}

}  // namespace rbig
