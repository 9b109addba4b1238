// NPY input: the header (npy_header.cpp) says the element type, order and shape; the data is
// converted element by element into the column-major matrix. Loads are assembled from bytes in
// the file's byte order, so big-endian files read the same on any machine.

#include <rbig/error.hpp>
#include <rbig/npy.hpp>
#include "io/column_names.hpp"
#include "io/file_contents.hpp"
#include "io/npy_header.hpp"
#include "io/posix_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>

namespace rbig {
namespace {

using detail::NpyElement;
using detail::NpyHeader;

/// The element's bytes as an unsigned integer, most significant first for a big-endian file.
std::uint64_t load_bits(const unsigned char* p, const NpyElement& element) {
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < element.size; ++i) {
    const std::size_t shift = element.big_endian ? element.size - 1 - i : i;
    bits |= static_cast<std::uint64_t>(p[i]) << (8 * shift);
  }
  return bits;
}

}  // namespace

namespace detail {

double npy_load_value(const unsigned char* p, const NpyElement& element) {
  const std::uint64_t bits = load_bits(p, element);
  if (element.kind == 'f' && element.size == 8) {
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  if (element.kind == 'f') {
    const auto narrow = static_cast<std::uint32_t>(bits);
    float value;
    std::memcpy(&value, &narrow, sizeof value);
    return value;
  }
  if (element.kind == 'u') return static_cast<double>(bits);
  // Signed: sign-extend from the element's width.
  const std::size_t unused = 64 - 8 * element.size;
  return static_cast<double>(static_cast<std::int64_t>(bits << unused) >> unused);
}

// The size checks keep a corrupt shape from allocating more than the file holds.
std::pair<Index, Index> npy_matrix_shape(const NpyHeader& header, std::size_t data_bytes,
                                         const std::string& source) {
  const auto& shape = header.shape;
  if (shape.empty() || shape.size() > 2) {
    throw InputError(source, 0, 0,
                     fmt::format("the array has {} dimensions; expected a matrix (rows, columns) "
                                 "or a vector (rows,)",
                                 shape.size()));
  }
  const std::uint64_t rows = shape[0];
  const std::uint64_t columns = shape.size() == 2 ? shape[1] : 1;
  if (rows == 0) throw InputError(source, 0, 0, "no data rows (the array's shape has 0 rows)");
  if (columns == 0) throw InputError(source, 0, 0, "the array has 0 columns");
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() / header.element.size;
  if (rows > limit / columns) {
    throw InputError(source, 0, 0, fmt::format("shape ({}, {}) is too large", rows, columns));
  }
  const std::uint64_t needed = rows * columns * header.element.size;
  if (needed > data_bytes) {
    throw InputError(
        source, 0, 0,
        fmt::format("byte {}: the file ends early: shape ({}, {}) needs {} bytes of "
                    "data, the file holds {}",
                    header.data_offset + data_bytes, rows, columns, needed, data_bytes));
  }
  if (needed < data_bytes) {
    throw InputError(source, 0, 0,
                     fmt::format("byte {}: {} bytes after the data of shape ({}, {})",
                                 header.data_offset + needed, data_bytes - needed, rows, columns));
  }
  return {static_cast<Index>(rows), static_cast<Index>(columns)};
}

Index npy_rows_to_keep(ConstMatrixRef values, const NpyHeader& header, const std::string& source,
                       bool drop_missing, std::vector<char>& keep, Index first_row,
                       Index total_rows) {
  if (total_rows < 0) total_rows = values.rows();
  keep.assign(static_cast<std::size_t>(values.rows()), 1);
  for (Index c = 0; c < values.cols(); ++c) {
    for (Index r = 0; r < values.rows(); ++r) {
      if (std::isfinite(values(r, c))) continue;
      if (!drop_missing) {
        const Index row = first_row + r;
        const Index element = header.fortran_order ? c * total_rows + row : row * values.cols() + c;
        throw InputError(source, 0, 0,
                         fmt::format("row {}, column {} (byte {}): expected a finite number, got "
                                     "{}",
                                     row + 1, c + 1,
                                     header.data_offset +
                                         static_cast<std::size_t>(element) * header.element.size,
                                     values(r, c)));
      }
      keep[static_cast<std::size_t>(r)] = 0;
    }
  }
  const Index kept = std::count(keep.begin(), keep.end(), 1);
  if (kept == 0) {
    throw InputError(
        source, 0, 0,
        fmt::format("no data rows left: all {} rows hold a missing value", values.rows()));
  }
  return kept;
}

}  // namespace detail

namespace {

/// Keeps the rows without a non-finite value, or throws naming the first one.
/// first_row: the row of the whole array (of total_rows) that table's first row is.
void handle_non_finite(Table& table, const NpyHeader& header, const std::string& source,
                       bool drop_missing, Index first_row, Index total_rows) {
  const Matrix& values = table.values;
  std::vector<char> keep;
  const Index kept =
      detail::npy_rows_to_keep(values, header, source, drop_missing, keep, first_row, total_rows);
  if (kept == values.rows()) return;
  Matrix compact(kept, values.cols());
  Index next = 0;
  for (Index r = 0; r < values.rows(); ++r) {
    if (keep[static_cast<std::size_t>(r)]) compact.row(next++) = values.row(r);
  }
  table.dropped_rows = values.rows() - kept;
  table.values = std::move(compact);
}

/// The values of `rows` rows held in data in the file's order (for Fortran order, each column's
/// `rows` values one after the other) into a rows × columns matrix.
Matrix convert_rows(const unsigned char* data, const NpyHeader& header, Index rows, Index columns) {
  Matrix values(rows, columns);
  const std::size_t size = header.element.size;
  // Fortran order is column-major like the matrix: element k is (k % rows, k / rows).
  Index k = 0;
  for (Index outer = 0; outer < (header.fortran_order ? columns : rows); ++outer) {
    for (Index inner = 0; inner < (header.fortran_order ? rows : columns); ++inner, ++k) {
      const double value =
          detail::npy_load_value(data + static_cast<std::size_t>(k) * size, header.element);
      if (header.fortran_order) {
        values(inner, outer) = value;
      } else {
        values(outer, inner) = value;
      }
    }
  }
  return values;
}

}  // namespace

bool is_npy_path(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".npy";
}

bool has_npy_magic(std::string_view bytes) { return bytes.substr(0, 6) == "\x93NUMPY"; }

Table read_npy(const std::filesystem::path& path, const NpyOptions& options) {
  const detail::FileContents contents(path);
  return parse_npy(contents.bytes(), path.string(), options);
}

Table parse_npy(std::string_view bytes, const std::string& source, const NpyOptions& options) {
  const NpyHeader header = detail::parse_npy_header(bytes, source);
  const auto [rows, columns] =
      detail::npy_matrix_shape(header, bytes.size() - header.data_offset, source);
  Table table;
  table.column_names = detail::numbered_column_names(static_cast<std::size_t>(columns));
  table.values =
      convert_rows(reinterpret_cast<const unsigned char*>(bytes.data()) + header.data_offset,
                   header, rows, columns);
  handle_non_finite(table, header, source, options.drop_missing, 0, rows);
  return table;
}

Table read_npy_part(const std::filesystem::path& path, int part, int parts,
                    const NpyOptions& options) {
  const std::string name = path.string();
  const detail::FileDescriptor fd = detail::open_for_parts(path);
  const std::uint64_t bytes_in_file = detail::file_size(fd.get(), name);
  const std::size_t offset =
      detail::npy_data_offset(detail::read_at(fd.get(), 0, detail::kNpyPrefixBytes, name), name);
  const NpyHeader header =
      detail::parse_npy_header(  // a length beyond the file: parse_npy_header's error
          detail::read_at(fd.get(), 0,
                          static_cast<std::size_t>(std::min<std::uint64_t>(offset, bytes_in_file)),
                          name),
          name);
  const std::size_t data_bytes = bytes_in_file > header.data_offset
                                     ? static_cast<std::size_t>(bytes_in_file - header.data_offset)
                                     : 0;
  const auto [rows, columns] = detail::npy_matrix_shape(header, data_bytes, name);
  // Rows [rows·part/parts, rows·(part+1)/parts), computed without overflow.
  const auto share = [&, rows = rows](int k) {
    return rows / parts * k + rows % parts * k / parts;
  };
  const Index first = share(part);
  const Index count = share(part + 1) - first;
  const auto element = static_cast<std::uint64_t>(header.element.size);
  std::string bytes;
  if (header.fortran_order) {  // each column's rows of this part, one column after another
    for (Index c = 0; c < columns; ++c) {
      bytes += detail::read_at(
          fd.get(), header.data_offset + static_cast<std::uint64_t>(c * rows + first) * element,
          static_cast<std::size_t>(static_cast<std::uint64_t>(count) * element), name);
    }
  } else {
    bytes = detail::read_at(
        fd.get(), header.data_offset + static_cast<std::uint64_t>(first * columns) * element,
        static_cast<std::size_t>(static_cast<std::uint64_t>(count * columns) * element), name);
  }
  if (bytes.size() != static_cast<std::size_t>(count * columns) * header.element.size) {
    throw InputError(name, 0, 0, "the file changed while it was read");
  }
  Table table;
  table.column_names = detail::numbered_column_names(static_cast<std::size_t>(columns));
  table.values =
      convert_rows(reinterpret_cast<const unsigned char*>(bytes.data()), header, count, columns);
  if (count > 0) handle_non_finite(table, header, name, options.drop_missing, first, rows);
  return table;
}

}  // namespace rbig
