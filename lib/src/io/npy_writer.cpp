// NPY output: little-endian float64 in C order, as numpy.save writes a float array.

#include <rbig/npy.hpp>
#include "io/npy_header.hpp"

#include <cstdint>
#include <cstring>
#include <ostream>
#include <vector>

namespace rbig {

void write_npy_header(std::ostream& out, Index rows, Index columns, bool one_dimensional) {
  const auto r = static_cast<std::uint64_t>(rows);
  const auto c = static_cast<std::uint64_t>(columns);
  const std::vector<std::uint64_t> shape =
      one_dimensional && c == 1 ? std::vector<std::uint64_t>{r} : std::vector<std::uint64_t>{r, c};
  out << detail::format_npy_header(shape);
}

void write_npy_rows(std::ostream& out, ConstMatrixRef values) {
  // One row at a time, each value's bytes least significant first whatever the host's order.
  std::vector<char> row(static_cast<std::size_t>(values.cols()) * 8);
  for (Index r = 0; r < values.rows(); ++r) {
    for (Index c = 0; c < values.cols(); ++c) {
      const double value = values(r, c);
      std::uint64_t bits;
      std::memcpy(&bits, &value, sizeof bits);
      for (std::size_t i = 0; i < 8; ++i) {
        row[static_cast<std::size_t>(c) * 8 + i] = static_cast<char>((bits >> (8 * i)) & 0xFF);
      }
    }
    out.write(row.data(), static_cast<std::streamsize>(row.size()));
  }
}

void write_npy(std::ostream& out, ConstMatrixRef values, bool one_dimensional) {
  write_npy_header(out, values.rows(), values.cols(), one_dimensional);
  write_npy_rows(out, values);
}

}  // namespace rbig
