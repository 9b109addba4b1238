#pragma once
/// Little-endian encoding of the model file's fields, public so that a user-defined marginal
/// type (registry.hpp) can write and read its own parameters. The reader checks every read
/// against the end of the buffer and throws ModelFileError("<path>: truncated …") instead of
/// reading past it.

#include <rbig/error.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace rbig {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "model files are little-endian");

class ByteWriter {
 public:
  template <typename T>
  void put(T value) {
    static_assert(std::is_arithmetic_v<T>);
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    data_.append(bytes, sizeof(T));
  }
  void put_string(std::string_view text) {
    put(static_cast<std::uint32_t>(text.size()));
    data_.append(text);
  }
  void put_raw(std::string_view bytes) { data_.append(bytes); }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

class ByteReader {
 public:
  /// data: the bytes to read; path: names them in messages; format_version: of the model file
  /// being read, for readers whose layout or meaning changed between versions.
  ByteReader(std::string_view data, std::string path, std::uint32_t format_version = 0)
      : data_(data), path_(std::move(path)), format_version_(format_version) {}
  template <typename T>
  T get() {
    static_assert(std::is_arithmetic_v<T>);
    T value;
    std::memcpy(&value, take(sizeof(T)).data(), sizeof(T));
    return value;
  }
  std::string get_string() { return std::string(take(get<std::uint32_t>())); }
  std::string_view take(std::size_t size) {
    if (size > data_.size() - offset_) {
      throw ModelFileError(path_ + ": truncated (the file ends inside a record)");
    }
    const std::string_view bytes = data_.substr(offset_, size);
    offset_ += size;
    return bytes;
  }
  std::size_t remaining() const { return data_.size() - offset_; }
  const std::string& path() const { return path_; }
  std::uint32_t format_version() const { return format_version_; }

 private:
  std::string_view data_;
  std::string path_;
  std::uint32_t format_version_ = 0;
  std::size_t offset_ = 0;
};

}  // namespace rbig
