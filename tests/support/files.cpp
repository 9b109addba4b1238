#include "support/files.hpp"

#include <fmt/format.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <system_error>

#include <unistd.h>

namespace rbig::test {

ScratchDir::ScratchDir(std::string_view prefix) {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          fmt::format("rbig-{}-{}-{}", prefix, static_cast<long>(::getpid()), counter++);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;  // a destructor must not throw; a leftover temp dir is harmless
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path ScratchDir::write(const std::string& name, const std::string& text) const {
  const std::filesystem::path file = path_ / name;
  write_bytes(file, text);
  return file;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace rbig::test
