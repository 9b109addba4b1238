#pragma once
// Small POSIX helpers shared by the CSV reader and the atomic writer.

#include <string>
#include <system_error>

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
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace rbig::detail
