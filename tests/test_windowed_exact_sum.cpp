// The windowed exact sum (stats/windowed_exact_sum.hpp): the same bits as the whole ExactSum
// whether its addends stay in its window or widen it, in any order, through copies and
// assign() (test_row_alignment.cpp checks the covariance built on it at 1 and 2 threads).

#include "stats/exact_sum.hpp"
#include "stats/windowed_exact_sum.hpp"

#include "core/rng.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace rbig;
using namespace rbig::detail;

namespace {

/// n values of random sign, mantissa and exponents within `octaves` of 2^0.
std::vector<double> values_within(int n, int octaves, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> values;
  for (int i = 0; i < n; ++i) {
    const int exponent = static_cast<int>(rng.uniform() * octaves) - octaves / 2;
    values.push_back(std::ldexp(rng.uniform() - 0.5, exponent));
  }
  return values;
}

double whole_sum(const std::vector<double>& values) {
  ExactSum sum;
  for (double v : values) sum.add(v);
  return sum.value();
}

double windowed_sum(const std::vector<double>& values) {
  WindowedExactSum sum;
  for (double v : values) sum.add(v);
  return sum.value();
}

}  // namespace

TEST_CASE("windowed exact sum: the whole sum's bits, in its window or widened") {
  // 20 octaves stay in the window; 400 widen it; 2,000 reach the ends of the double range.
  for (int octaves : {20, 400, 2000}) {
    CAPTURE(octaves);
    std::vector<double> values = values_within(3000, octaves, 11);
    const double expected = whole_sum(values);
    CHECK(windowed_sum(values) == expected);
    std::reverse(values.begin(), values.end());
    CHECK(windowed_sum(values) == expected);
  }
  CHECK(windowed_sum({1e16, 1.0, -1e16}) == 1.0);
  CHECK(windowed_sum({0.1, 0.2, -0.3}) == 0x1p-55);
  CHECK(windowed_sum({}) == 0.0);
  CHECK(windowed_sum({1.0, 1e-300}) == 1.0);  // far below the window: widened
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(windowed_sum({1.0, inf}) == inf);
  CHECK(std::isnan(windowed_sum({inf, -inf})));
}

TEST_CASE("windowed exact sum: copies and assign keep the sum") {
  for (int octaves : {20, 2000}) {
    CAPTURE(octaves);
    const std::vector<double> values = values_within(500, octaves, 12);
    WindowedExactSum sum;
    ExactSum whole;
    for (double v : values) {
      sum.add(v);
      whole.add(v);
    }
    const WindowedExactSum copy = sum;
    CHECK(copy.value() == whole.value());
    WindowedExactSum assigned;
    assigned.assign(whole);
    CHECK(assigned.value() == whole.value());
    ExactSum negated;
    for (double v : values) negated.add(-v);
    assigned.assign(negated);  // a negative sum, kept in the window where it fits
    CHECK(assigned.value() == -whole.value());
    assigned.add(1.5);
    negated.add(1.5);
    CHECK(assigned.value() == negated.value());
  }
}
