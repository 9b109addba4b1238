// NPY output: little-endian float64 in C order, as numpy.save writes a float array.

#include <rbig/npy.hpp>
#include "io/npy_header.hpp"

#include <cstdint>
#include <cstring>
#include <ostream>
#include <vector>

namespace rbig {

void write_npy(std::ostream& out, ConstMatrixRef values, bool one_dimensional) {
  const auto rows = static_cast<std::uint64_t>(values.rows());
  const auto columns = static_cast<std::uint64_t>(values.cols());
  const std::vector<std::uint64_t> shape = one_dimensional && columns == 1
                                               ? std::vector<std::uint64_t>{rows}
                                               : std::vector<std::uint64_t>{rows, columns};
  out << detail::format_npy_header(shape);
  // One row at a time, each value's bytes least significant first whatever the host's order.
  std::vector<char> row(static_cast<std::size_t>(columns) * 8);
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

}  // namespace rbig
