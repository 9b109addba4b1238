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

/// Reads exactly `size` bytes at `offset` of fd into data (a work file's block, mapped_matrix.hpp);
/// throws Error naming the file when the read fails or the file ends first.
inline void pread_all(int fd, void* data, std::size_t size, std::uint64_t offset,
                      const std::filesystem::path& name) {
  auto* bytes = static_cast<char*>(data);
  for (std::size_t done = 0; done < size;) {
    const ssize_t got = ::pread(fd, bytes + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      throw Error(name.string() + ": cannot read the work file: " +
                  (got < 0 ? errno_message(errno) : std::string("it ends early (truncated?)")));
    }
    done += static_cast<std::size_t>(got);
  }
}

/// Writes `size` bytes of data at `offset` of fd; throws Error naming the file when it fails.
inline void pwrite_all(int fd, const void* data, std::size_t size, std::uint64_t offset,
                       const std::filesystem::path& name) {
  const auto* bytes = static_cast<const char*>(data);
  for (std::size_t done = 0; done < size;) {
    const ssize_t put = ::pwrite(fd, bytes + done, size - done, static_cast<off_t>(offset + done));
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) {
      throw Error(name.string() + ": cannot write the work file: " + errno_message(errno));
    }
    done += static_cast<std::size_t>(put);
  }
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
