#pragma once
// The header of an .npy file: the magic string, the version, and the Python dict literal that
// gives the element type, the order and the shape.

#include <rbig/types.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
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

/// The value of the element at p, converted to double.
double npy_load_value(const unsigned char* p, const NpyElement& element);

/// Rows and columns of a 1-D (one column) or 2-D array whose data holds data_bytes bytes;
/// throws InputError for any other shape or a size that does not match.
std::pair<Index, Index> npy_matrix_shape(const NpyHeader& header, std::size_t data_bytes,
                                         const std::string& source);

/// keep[r] = 1 for the rows of values (read from an array with this header) without a non-finite
/// value; returns their count. Throws InputError naming the first non-finite value (column by
/// column; its row counted from first_row of an array of total_rows, −1: values.rows()) unless
/// drop_missing, and when no row is left.
Index npy_rows_to_keep(ConstMatrixRef values, const NpyHeader& header, const std::string& source,
                       bool drop_missing, std::vector<char>& keep, Index first_row = 0,
                       Index total_rows = -1);

/// The bytes before the data of a little-endian float64 C-order array of this shape, padded
/// with spaces and a newline to a multiple of 64 bytes.
std::string format_npy_header(const std::vector<std::uint64_t>& shape);

}  // namespace rbig::detail
