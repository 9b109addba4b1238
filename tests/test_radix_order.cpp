// rotation/radix_order.hpp: the radix order against a comparison sort of (value, row) pairs.

#include "core/rng.hpp"
#include "rotation/radix_order.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

using rbig::Index;
using rbig::Vector;

namespace {

/// The reference: rows sorted by (value, row), i.e. ties in row order.
std::vector<Index> pair_sort_order(const Vector& values) {
  std::vector<std::pair<double, Index>> pairs;
  for (Index i = 0; i < values.size(); ++i) pairs.emplace_back(values(i), i);
  std::sort(pairs.begin(), pairs.end());
  std::vector<Index> order;
  for (const auto& pair : pairs) order.push_back(pair.second);
  return order;
}

std::vector<Index> radix(const Vector& values) {
  std::vector<Index> order;
  std::vector<std::uint64_t> keys;
  std::vector<Index> scratch;
  rbig::detail::radix_order(values, order, keys, scratch);
  return order;
}

}  // namespace

TEST_CASE("radix order: equals a sort of (value, row) pairs, ties in row order") {
  // Both signs, magnitudes from 1e-300 to 1e300, repeated values, ±0 and infinities: every bit
  // of the key matters somewhere.
  rbig::detail::Rng rng(7);
  Vector values(5000);
  for (Index i = 0; i < values.size(); ++i) {
    const double u = rng.uniform();
    if (i % 7 == 0) {
      values(i) = std::round(10.0 * (u - 0.5));  // ties
    } else {
      values(i) = (u < 0.5 ? -1.0 : 1.0) * std::pow(10.0, 600.0 * rng.uniform() - 300.0);
    }
  }
  values(3) = 0.0;
  values(4) = -0.0;  // equal to +0.0: ordered by row with it
  values(5) = std::numeric_limits<double>::infinity();
  values(6) = -std::numeric_limits<double>::infinity();
  CHECK(radix(values) == pair_sort_order(values));
}

TEST_CASE("radix order: empty, one row, and all values equal") {
  CHECK(radix(Vector()).empty());
  CHECK(radix(Vector::Constant(1, 2.5)) == std::vector<Index>{0});
  CHECK(radix(Vector::Constant(4, -1.0)) == std::vector<Index>{0, 1, 2, 3});
}
