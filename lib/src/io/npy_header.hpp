#pragma once
// The header of an .npy file: the magic string, the version, and the Python dict literal that
// gives the element type, the order and the shape.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rbig::detail {

/// The element type named by 'descr': a kind ('f' float, 'i' signed, 'u' unsigned), a size in
/// bytes and whether the bytes are big-endian.
struct NpyElement {
  char kind = 'f';
  std::size_t size = 8;
  bool big_endian = false;
};

struct NpyHeader {
  NpyElement element;
  bool fortran_order = false;
  std::vector<std::uint64_t> shape;
  std::size_t data_offset = 0;  // where the array's bytes start
};

/// Where the data starts (magic, version, length field and dict), from the file's first
/// kNpyPrefixBytes bytes (all of a shorter file); throws InputError like parse_npy_header.
constexpr std::size_t kNpyPrefixBytes = 12;
std::size_t npy_data_offset(std::string_view prefix, const std::string& source);

/// Parses the magic, version and header dict; throws InputError(source, ..., "byte N: ...").
NpyHeader parse_npy_header(std::string_view bytes, const std::string& source);

/// The bytes before the data of a little-endian float64 C-order array of this shape, padded
/// with spaces and a newline to a multiple of 64 bytes.
std::string format_npy_header(const std::vector<std::uint64_t>& shape);

}  // namespace rbig::detail
