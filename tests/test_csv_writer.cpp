#include <rbig/error.hpp>
#include <rbig/io.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string to_csv(const rbig::Matrix& values, const std::vector<std::string>& names) {
  std::ostringstream out;
  rbig::write_csv(out, values, names);
  return out.str();
}

std::uint64_t bits(double x) {
  std::uint64_t b = 0;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

/// Counts entries whose bit patterns differ (so -0 != +0 and every last bit counts).
int bit_mismatches(const rbig::Matrix& a, const rbig::Matrix& b) {
  int wrong = 0;
  for (rbig::Index c = 0; c < a.cols(); ++c) {
    for (rbig::Index r = 0; r < a.rows(); ++r) wrong += bits(a(r, c)) != bits(b(r, c));
  }
  return wrong;
}

}  // namespace

TEST_CASE("csv writer: header line, then one shortest-form line per row") {
  rbig::Matrix x(2, 3);
  x << 1.5, -2.0, 0.1, 100.0, 1e-300, -0.0;
  CHECK(to_csv(x, {"a", "b", "c"}) == "a,b,c\n1.5,-2,0.1\n100,1e-300,-0\n");
  CHECK(to_csv(x, {}) == "1.5,-2,0.1\n100,1e-300,-0\n");
}

TEST_CASE("csv writer: a matrix without rows gives the header only") {
  CHECK(to_csv(rbig::Matrix(0, 2), {"a", "b"}) == "a,b\n");
  CHECK(to_csv(rbig::Matrix(0, 2), {}).empty());
}

TEST_CASE("csv writer: awkward doubles survive write then parse bit for bit") {
  const double max = std::numeric_limits<double>::max();
  const std::vector<double> awkward = {0.1,
                                       1e-300,
                                       -max,
                                       max,
                                       5e-324,
                                       std::numeric_limits<double>::min(),
                                       1.0 / 3.0,
                                       -2.0 / 3.0,
                                       -0.0,
                                       0.0,
                                       std::nextafter(1.0, 2.0),
                                       1e16,
                                       123456789012345678.0,
                                       3.141592653589793};
  rbig::Matrix x(static_cast<rbig::Index>(awkward.size()), 2);
  for (std::size_t i = 0; i < awkward.size(); ++i) {
    x(static_cast<rbig::Index>(i), 0) = awkward[i];
    x(static_cast<rbig::Index>(i), 1) = -awkward[i];
  }
  const rbig::Table t = rbig::parse_csv(to_csv(x, {"p", "q"}), "round.csv");
  REQUIRE(t.values.rows() == x.rows());
  REQUIRE(t.values.cols() == 2);
  CHECK(bit_mismatches(t.values, x) == 0);
}

TEST_CASE("csv writer: random bit patterns survive write then parse bit for bit") {
  // Uniform bit patterns cover every exponent, subnormals and both signs; non-finite ones are
  // skipped because the reader rejects them by design.
  std::mt19937_64 rng(20240611);
  rbig::Matrix x(4000, 5);
  for (rbig::Index c = 0; c < x.cols(); ++c) {
    for (rbig::Index r = 0; r < x.rows(); ++r) {
      double v = 0.0;
      do {
        const std::uint64_t b = rng();
        std::memcpy(&v, &b, sizeof v);
      } while (!std::isfinite(v));
      x(r, c) = v;
    }
  }
  const rbig::Table t = rbig::parse_csv(to_csv(x, {}), "random.csv");
  REQUIRE(t.values.rows() == x.rows());
  CHECK(bit_mismatches(t.values, x) == 0);
}

TEST_CASE("csv writer: chunked output equals formatting every value on its own") {
  // Enough rows to cross the internal chunk size several times.
  rbig::Matrix x(20000, 3);
  std::string expected = "a,b,c\n";
  for (rbig::Index r = 0; r < x.rows(); ++r) {
    for (rbig::Index c = 0; c < x.cols(); ++c) {
      x(r, c) = std::ldexp(static_cast<double>(r * 3 + c) + 0.1, static_cast<int>(c * 17 - 20));
      expected += fmt::format("{}{}", c == 0 ? "" : ",", x(r, c));
    }
    expected += '\n';
  }
  CHECK(to_csv(x, {"a", "b", "c"}) == expected);
}

TEST_CASE("csv writer: names that would not read back verbatim are quoted") {
  const std::vector<std::string> names = {"plain", "a,b", "say \"hi\"", "#id", "1",
                                          "inf",   "",    " padded ",   "+2"};
  rbig::Matrix x = rbig::Matrix::Zero(1, static_cast<rbig::Index>(names.size()));
  const std::string text = to_csv(x, names);
  CHECK(text.substr(0, text.find('\n')) ==
        "plain,\"a,b\",\"say \"\"hi\"\"\",\"#id\",\"1\",\"inf\",\"\",\" padded "
        "\",\"+2\"");
  const rbig::Table t = rbig::parse_csv(text, "names.csv");
  CHECK(t.column_names == names);
  CHECK(t.values.rows() == 1);
}

TEST_CASE("csv writer: all-numeric names still read back as a header") {
  rbig::Matrix x(1, 2);
  x << 7.0, 8.0;
  const rbig::Table t = rbig::parse_csv(to_csv(x, {"1", "2"}), "n.csv");
  CHECK(t.column_names == std::vector<std::string>{"1", "2"});
  REQUIRE(t.values.rows() == 1);
  CHECK(t.values(0, 1) == 8.0);
}

TEST_CASE("csv writer: wrong name count and line breaks in names are rejected") {
  CHECK_THROWS_WITH_AS(to_csv(rbig::Matrix::Zero(1, 3), {"a", "b"}),
                       "csv output: 2 column names for 3 columns", rbig::DimensionError);
  CHECK_THROWS_WITH_AS(to_csv(rbig::Matrix::Zero(1, 1), {"a\nb"}),
                       "column name \"a\\nb\": must not contain a line break", rbig::Error);
}

TEST_CASE("csv writer: a failed stream stops the output and keeps its error state") {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  rbig::write_csv(out, rbig::Matrix::Zero(100000, 2), {"a", "b"});
  CHECK(out.bad());
  CHECK(out.str().empty());
}
