#pragma once
// The whole content of an input file in memory, shared by the CSV and NPY readers.

#include <filesystem>
#include <string>
#include <string_view>

namespace rbig::detail {

/// The whole content of a file. A regular file is mapped and pre-faulted in one call
/// (MAP_POPULATE): copying 190 MB into a fresh buffer page by page costs more than parsing it.
/// Pipes such as /dev/stdin, and file systems that cannot map, are read() into a string.
/// Errors are InputError naming the file.
class FileContents {
 public:
  explicit FileContents(const std::filesystem::path& path);
  ~FileContents();
  FileContents(const FileContents&) = delete;
  FileContents& operator=(const FileContents&) = delete;

  std::string_view bytes() const {
    if (mapped_ == nullptr) return buffer_;
    return std::string_view(static_cast<const char*>(mapped_), size_);
  }

 private:
  /// Reads until end of file; the size of a pipe is not known in advance.
  void read_all(int fd, const std::string& name);

  void* mapped_ = nullptr;
  std::size_t size_ = 0;
  std::string buffer_;
};

}  // namespace rbig::detail
