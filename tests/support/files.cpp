#include "support/files.hpp"

#include <boost/crc.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <cstring>

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

std::string with_valid_checksum(std::string bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size() - 4);
  const std::uint32_t checksum = crc.checksum();
  std::memcpy(&bytes[bytes.size() - 4], &checksum, 4);
  return bytes;
}

}  // namespace rbig::test
