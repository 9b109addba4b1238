// NPY reader and writer, against bytes laid out by hand from NumPy's format specification
// (numpy/lib/format.py): magic, version, header length, dict literal, then the raw elements.

#include <rbig/error.hpp>
#include <rbig/npy.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

using rbig::InputError;
using rbig::parse_npy;

/// An .npy file: the header dict padded to a 16-byte boundary, then the payload as given.
std::string npy_file(int major, const std::string& dict, const std::string& payload) {
  const std::size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((prefix + header.size() + 1) % 16 != 0) header.push_back(' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back(static_cast<char>(major));
  out.push_back('\0');
  for (std::size_t i = 0; i < prefix - 8; ++i) {
    out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xFF));
  }
  return out + header + payload;
}

/// The bytes of each value in the given width and order (IEEE bits for floats, two's complement
/// for integers).
template <typename T>
std::string element_bytes(const std::vector<T>& values, bool big_endian) {
  std::string out;
  for (const T value : values) {
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // the test machine is little-endian (x86-64)
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      out.push_back(static_cast<char>(bytes[big_endian ? sizeof(T) - 1 - i : i]));
    }
  }
  return out;
}

std::string dict(const std::string& descr, bool fortran, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

/// The 2×3 matrix [[1.5, -2, 0.25], [3, 1e300, -7]] in C order (rows one after the other).
const std::vector<double> kRowMajor = {1.5, -2, 0.25, 3, 1e300, -7};
const std::vector<double> kColumnMajor = {1.5, 3, -2, 1e300, 0.25, -7};

void check_matrix(const rbig::Table& t) {
  REQUIRE(t.values.rows() == 2);
  REQUIRE(t.values.cols() == 3);
  for (rbig::Index r = 0; r < 2; ++r) {
    for (rbig::Index c = 0; c < 3; ++c) {
      CHECK(t.values(r, c) == kRowMajor[static_cast<std::size_t>(r * 3 + c)]);
    }
  }
  CHECK(t.column_names == std::vector<std::string>{"x1", "x2", "x3"});
}

std::string error_of(const std::string& bytes, const rbig::NpyOptions& options = {}) {
  try {
    parse_npy(bytes, "t.npy", options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("npy: float64 in C and Fortran order, versions 1 to 3, both byte orders") {
  for (int major : {1, 2, 3}) {
    CAPTURE(major);
    check_matrix(parse_npy(
        npy_file(major, dict("<f8", false, "(2, 3)"), element_bytes(kRowMajor, false)), "t.npy"));
    check_matrix(parse_npy(
        npy_file(major, dict("<f8", true, "(2, 3)"), element_bytes(kColumnMajor, false)), "t.npy"));
    check_matrix(parse_npy(
        npy_file(major, dict(">f8", false, "(2, 3)"), element_bytes(kRowMajor, true)), "t.npy"));
  }
}

TEST_CASE("npy: float32 and integer elements are converted to the same doubles") {
  const std::vector<float> f32 = {1.5F, -2.0F, 0.25F, 3.0F, 65536.0F, -7.0F};
  const rbig::Table t32 =
      parse_npy(npy_file(1, dict("<f4", false, "(2, 3)"), element_bytes(f32, false)), "t.npy");
  CHECK(t32.values(1, 1) == 65536.0);
  CHECK(t32.values(0, 2) == 0.25);
  const std::vector<std::int32_t> i32 = {-1, 2, -2147483647 - 1, 4, 5, 2147483647};
  const rbig::Table ti =
      parse_npy(npy_file(1, dict(">i4", false, "(2, 3)"), element_bytes(i32, true)), "t.npy");
  CHECK(ti.values(0, 0) == -1.0);
  CHECK(ti.values(0, 2) == -2147483648.0);
  CHECK(ti.values(1, 2) == 2147483647.0);
  const std::vector<std::uint8_t> u8 = {0, 255, 7};
  const rbig::Table tu =
      parse_npy(npy_file(1, dict("|u1", false, "(3,)"), element_bytes(u8, false)), "t.npy");
  REQUIRE(tu.values.cols() == 1);  // a vector is one column
  CHECK(tu.values(1, 0) == 255.0);
  const std::vector<std::int64_t> i64 = {-5, 1LL << 40};
  const rbig::Table tl =
      parse_npy(npy_file(1, dict("<i8", false, "(2,)"), element_bytes(i64, false)), "t.npy");
  CHECK(tl.values(0, 0) == -5.0);
  CHECK(tl.values(1, 0) == 1099511627776.0);
}

TEST_CASE("npy: the header dict in any key order, with double quotes and Python 2 longs") {
  const std::string d = "{\"shape\": (2L, 3L), \"fortran_order\": False, \"descr\": \"<f8\"}";
  check_matrix(parse_npy(npy_file(1, d, element_bytes(kRowMajor, false)), "t.npy"));
}

TEST_CASE("npy: written files follow the format: magic, version 1.0, 64-byte aligned data") {
  rbig::Matrix values(2, 3);
  values << 1.5, -2, 0.25, 3, 1e300, -7;
  std::ostringstream out;
  rbig::write_npy(out, values);
  const std::string bytes = out.str();
  // The 59-byte dict, its newline and the 10-byte prefix need 70 bytes: padded to 128.
  REQUIRE(bytes.size() == 128 + 6 * 8);
  CHECK(bytes.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  const auto length = static_cast<std::size_t>(static_cast<unsigned char>(bytes[8]) |
                                               (static_cast<unsigned char>(bytes[9]) << 8));
  CHECK(10 + length == 128);
  const std::string expected_dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
  CHECK(bytes.substr(10, length) ==
        expected_dict + std::string(length - expected_dict.size() - 1, ' ') + "\n");
  CHECK(bytes.substr(128) == element_bytes(kRowMajor, false));

  std::ostringstream vector_out;
  rbig::write_npy(vector_out, values.col(0), true);
  CHECK(vector_out.str().find("'shape': (2,)") != std::string::npos);
}

// Offsets: npy_file pads the header to 16 bytes, so the 59-byte dict of a (2, 3) array puts the
// data at byte 80 (10 + 59 + newline = 70, rounded up); 'fortran_order''s value starts at 10 + 34.
TEST_CASE("npy: malformed files are errors naming the byte where they go wrong") {
  const std::string good =
      npy_file(1, dict("<f8", false, "(2, 3)"), element_bytes(kRowMajor, false));
  CHECK(error_of("a,b\n1,2\n") == "t.npy: byte 0: not an .npy file (no \\x93NUMPY magic string)");
  std::string v4 = good;
  v4[6] = 4;
  CHECK(error_of(v4) ==
        "t.npy: byte 6: unsupported .npy format version 4.0 (1.0, 2.0 and 3.0 are read)");
  CHECK(error_of(good.substr(0, 9)) == "t.npy: byte 9: file ends inside the header length");
  CHECK(error_of(good.substr(0, 40)).find("t.npy: byte 8: the header says it is") == 0);
  CHECK(error_of(npy_file(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }", ""))
            .find("t.npy: byte 20: header: unsupported 'descr' \"<c16\"") == 0);
  CHECK(error_of(npy_file(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,)}",
                          std::string(8, '\0'))) ==
        "t.npy: byte 20: header: expected a quoted string for 'descr', got \"[('a'\"");
  CHECK(error_of(npy_file(1, "{'descr': '<f8', 'fortran_order': 1, 'shape': (1,)}", "")) ==
        "t.npy: byte 44: header: expected 'fortran_order' to be True or False");
  CHECK(error_of(npy_file(1, "{'descr': '<f8', 'shape': (1,)}", std::string(8, '\0'))) ==
        "t.npy: byte 48: header: missing key 'fortran_order'");
  CHECK(error_of(npy_file(1, dict("<f8", false, "(1, 2, 3)"), std::string(48, '\0'))) ==
        "t.npy: the array has 3 dimensions; expected a matrix (rows, columns) or a vector (rows,)");
  CHECK(error_of(good.substr(0, good.size() - 3)) ==
        "t.npy: byte 125: the file ends early: shape (2, 3) needs 48 bytes of data, the file "
        "holds 45");
  CHECK(error_of(good + "xy") == "t.npy: byte 128: 2 bytes after the data of shape (2, 3)");
  CHECK(error_of(npy_file(1, dict("<f8", false, "(0, 3)"), "")) ==
        "t.npy: no data rows (the array's shape has 0 rows)");
  // A shape far larger than the file is refused before anything is allocated.
  CHECK(
      error_of(npy_file(1, dict("<f8", false, "(4611686018427387904, 4611686018427387904)"), "")) ==
      "t.npy: shape (4611686018427387904, 4611686018427387904) is too large");
}

TEST_CASE("npy: NaN and infinity are an error naming row, column and byte, or dropped rows") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> values = {1, 2, 3, nan, 5, 6, 7, -INFINITY};
  const std::string bytes = npy_file(1, dict("<f8", false, "(4, 2)"), element_bytes(values, false));
  CHECK(error_of(bytes) == "t.npy: row 2, column 2 (byte 104): expected a finite number, got nan");
  const rbig::Table t = parse_npy(bytes, "t.npy", {true});
  CHECK(t.dropped_rows == 2);
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(0, 0) == 1.0);
  CHECK(t.values(1, 1) == 6.0);
  const std::string all_bad =
      npy_file(1, dict("<f8", false, "(1, 2)"), element_bytes(std::vector<double>{nan, 1}, false));
  CHECK(error_of(all_bad, {true}) == "t.npy: no data rows left: all 1 rows hold a missing value");
}

TEST_CASE("npy: the extension and the magic string identify a file") {
  CHECK(rbig::is_npy_path("a/b.npy"));
  CHECK(rbig::is_npy_path("B.NPY"));
  CHECK(!rbig::is_npy_path("b.npy.csv"));
  CHECK(!rbig::is_npy_path("npy"));
  CHECK(rbig::has_npy_magic("\x93NUMPY\x01"));
  CHECK(!rbig::has_npy_magic("1,2\n"));
}

TEST_CASE("npy: the parts of a file split among processes hold every row once, in order") {
  // 7 rows × 3 columns, value 10·row + column, as float32 in Fortran order and float64 in C
  // order, versions 1 and 2: the parts read only their rows' bytes (a column at a time in
  // Fortran order) and name a bad value by its row in the whole file.
  std::vector<double> row_major;
  std::vector<float> column_major;
  for (int r = 0; r < 7; ++r)
    for (int c = 0; c < 3; ++c) row_major.push_back(10.0 * r + c);
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 7; ++r) column_major.push_back(static_cast<float>(10 * r + c));
  const std::string path = "npy_part_test.npy";
  for (const bool fortran : {false, true}) {
    for (const int major : {1, 2}) {
      CAPTURE(fortran);
      CAPTURE(major);
      {
        std::ofstream out(path, std::ios::binary);
        out << (fortran ? npy_file(major, dict("<f4", true, "(7, 3)"),
                                   element_bytes(column_major, false))
                        : npy_file(major, dict("<f8", false, "(7, 3)"),
                                   element_bytes(row_major, false)));
      }
      for (const int parts : {1, 2, 3, 9}) {
        int next = 0;
        for (int part = 0; part < parts; ++part) {
          const rbig::Table t = rbig::read_npy_part(path, part, parts);
          REQUIRE(t.values.cols() == 3);
          for (rbig::Index r = 0; r < t.values.rows(); ++r, ++next) {
            for (int c = 0; c < 3; ++c) CHECK(t.values(r, c) == 10.0 * next + c);
          }
        }
        CHECK(next == 7);
      }
    }
  }
  {
    std::vector<double> bad = row_major;
    bad[5 * 3 + 1] = std::nan("");
    std::ofstream out(path, std::ios::binary);
    out << npy_file(1, dict("<f8", false, "(7, 3)"), element_bytes(bad, false));
  }
  CHECK_THROWS_WITH_AS(rbig::read_npy_part(path, 2, 3), doctest::Contains("row 6, column 2"),
                       InputError);
  std::remove(path.c_str());
}
