#include "io/file_contents.hpp"

#include <rbig/error.hpp>
#include "io/posix_file.hpp"

#include <cerrno>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rbig::detail {

FileContents::FileContents(const std::filesystem::path& path) {
  const std::string name = path.string();
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) throw InputError(name, 0, 0, "cannot open file: " + errno_message(errno));
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) {
    throw InputError(name, 0, 0, "cannot open file: " + errno_message(errno));
  }
  if (S_ISDIR(status.st_mode)) {
    throw InputError(name, 0, 0, "cannot open file: " + errno_message(EISDIR));
  }
  if (S_ISREG(status.st_mode) && status.st_size > 0) {
    const std::size_t size = static_cast<std::size_t>(status.st_size);
    void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, file.get(), 0);
    if (mapped != MAP_FAILED) {
      mapped_ = mapped;
      size_ = size;
      return;
    }
  }
  read_all(file.get(), name);
}

FileContents::~FileContents() {
  if (mapped_ != nullptr) ::munmap(mapped_, size_);
}

void FileContents::read_all(int fd, const std::string& name) {
  buffer_.resize(std::size_t{1} << 16);
  std::size_t used = 0;
  while (true) {
    if (used == buffer_.size()) buffer_.resize(2 * buffer_.size());
    const ssize_t n = ::read(fd, &buffer_[used], buffer_.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError(name, 0, 0, "cannot read file: " + errno_message(errno));
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  buffer_.resize(used);
}

}  // namespace rbig::detail
