#pragma once
// Scratch files for tests that write through the file system (CSV reading, atomic writes, model
// files): a private directory per test, and whole-file reads and writes.

#include <filesystem>
#include <string>
#include <string_view>

namespace rbig::test {

/// A fresh directory under the system temp dir, removed with everything in it. Its name holds
/// the process id and a counter, so tests running in parallel processes (ctest -j) never share
/// or remove each other's files.
class ScratchDir {
 public:
  /// The directory is rbig-<prefix>-<pid>-<n>: a prefix naming the test file tells whose a
  /// leftover one (after a crash) is.
  explicit ScratchDir(std::string_view prefix = "test");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// Writes `text` to the file `name` in this directory, byte for byte; returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

/// The whole file, byte for byte (empty if it cannot be opened).
std::string read_bytes(const std::filesystem::path& path);
/// Replaces the file's content with `text`, byte for byte.
void write_bytes(const std::filesystem::path& path, const std::string& text);

/// Model file bytes with their CRC-32 trailer recomputed: a damaged field behind a valid checksum.
std::string with_valid_checksum(std::string bytes);

}  // namespace rbig::test
