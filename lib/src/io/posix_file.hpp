#pragma once
// Small POSIX helpers shared by the CSV and NPY readers and the atomic writer.

#include <rbig/error.hpp>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rbig::detail {

/// The text of an errno value ("No such file or directory").
inline std::string errno_message(int error) {
  return std::error_code(error, std::generic_category()).message();
}

/// Closes a POSIX file descriptor on scope exit.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  int get() const { return fd_; }

 private:
  int fd_;
};

/// Reads up to `size` bytes at `offset` of fd (fewer at the end of the file); name: the file,
/// in the InputError a failed read throws.
inline std::string read_at(int fd, std::uint64_t offset, std::size_t size,
                           const std::string& name) {
  std::string bytes(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got =
        ::pread(fd, bytes.data() + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError(name, 0, 0, "read failed: " + errno_message(errno));
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  bytes.resize(done);
  return bytes;
}

/// A regular file opened for reading by one of the processes it is split among; throws
/// InputError naming the file otherwise.
inline FileDescriptor open_for_parts(const std::filesystem::path& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw InputError(path.string(), 0, 0, errno_message(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    throw InputError(path.string(), 0, 0,
                     "not a regular file (a file split among processes must be one)");
  }
  return fd;
}

/// The size in bytes of an open file.
inline std::uint64_t file_size(int fd, const std::string& name) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw InputError(name, 0, 0, errno_message(errno));
  return static_cast<std::uint64_t>(info.st_size);
}

}  // namespace rbig::detail
