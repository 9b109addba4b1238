// The exact sum (stats/exact_sum.hpp) and its reduction over participants (sum_exact,
// fit/reducer.hpp): the same bits in any order and any split, equal to the exact sum rounded
// once to nearest. Oracle: values on a 2^−30 grid below 2^20, whose exact sum is an integer
// multiple of 2^−30 that a 128-bit integer holds, converted to double by one rounding.

#include "fit/reducer.hpp"
#include "stats/exact_sum.hpp"
#include "stats/windowed_exact_sum.hpp"

#include "core/rng.hpp"
#include "support/two_shards.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

using namespace rbig;
using namespace rbig::detail;

namespace {

double exact_sum(const std::vector<double>& values) {
  ExactSum sum;
  for (double v : values) sum.add(v);
  return sum.value();
}

/// Values k·2^−30 with |k| < 2^50 (|value| < 2^20), of mixed signs and magnitudes.
std::vector<double> grid_values(int n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> values;
  for (int i = 0; i < n; ++i) {
    const double magnitude = std::ldexp(rng.uniform(), static_cast<int>(rng.uniform() * 50.0));
    const double k = std::floor(magnitude) * (rng.uniform() < 0.5 ? -1.0 : 1.0);
    values.push_back(std::ldexp(k, -30));
  }
  return values;
}

/// The oracle: the exact sum of grid values as an integer count of 2^−30 (below 2^63 for up to
/// 5,000 values), rounded once by the conversion to double (to nearest).
double grid_oracle(const std::vector<double>& values) {
  std::int64_t total = 0;
  for (double v : values) total += static_cast<std::int64_t>(std::ldexp(v, 30));
  return std::ldexp(static_cast<double>(total), -30);
}

}  // namespace

TEST_CASE("exact sum: cancellation that plain addition loses is exact") {
  CHECK(exact_sum({1e16, 1.0, -1e16}) == 1.0);
  CHECK(exact_sum({1.0, 1e100, 1.0, -1e100}) == 2.0);
  CHECK(exact_sum({0.1, 0.2, -0.3}) == 0x1p-55);  // the true residue; plain addition: 2^−54
  CHECK(exact_sum({DBL_MAX, DBL_MAX, -DBL_MAX}) == DBL_MAX);  // plain: inf
  const double tiny = std::numeric_limits<double>::denorm_min();
  CHECK(exact_sum({tiny, tiny, tiny}) == 3.0 * tiny);
  CHECK(exact_sum({-2.5, -0.25}) == -2.75);
  CHECK(exact_sum({}) == 0.0);
}

TEST_CASE("exact sum: the one rounding is to nearest, ties to even") {
  const double big = 0x1p53;                               // the spacing of doubles is 2 here
  CHECK(exact_sum({big, 1.0}) == big);                     // a tie: to the even 2^53
  CHECK(exact_sum({big, 1.0, 0x1p-60}) == big + 2.0);      // just above the tie: up
  CHECK(exact_sum({big + 2.0, 1.0}) == big + 4.0);         // a tie: to the even 2^53 + 4
  CHECK(exact_sum({-big, -1.0, -0x1p-60}) == -big - 2.0);  // the same below zero
}

TEST_CASE("exact sum: non-finite values make the sum non-finite, as a plain sum would") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(exact_sum({1.0, inf}) == inf);
  CHECK(std::isnan(exact_sum({inf, -inf, 1.0})));
  CHECK(exact_sum({DBL_MAX, DBL_MAX}) == inf);  // beyond the range: rounds to inf
}

TEST_CASE("exact sum: any order and grouping gives the oracle's bits") {
  std::vector<double> values = grid_values(5000, 7);
  const double oracle = grid_oracle(values);
  CHECK(exact_sum(values) == oracle);
  Rng rng(8);
  for (int round = 0; round < 3; ++round) {
    // A shuffle, then the values in uneven groups whose accumulators are merged.
    for (size_t i = values.size() - 1; i > 0; --i) {
      std::swap(values[i], values[static_cast<size_t>(rng.uniform() * double(i + 1)) % (i + 1)]);
    }
    ExactSum total;
    for (size_t start = 0; start < values.size();) {
      const size_t end =
          std::min(values.size(), start + 1 + static_cast<size_t>(rng.uniform() * 900));
      ExactSum group;
      for (size_t i = start; i < end; ++i) group.add(values[i]);
      total.add(group);
      start = end;
    }
    CHECK(total.value() == oracle);
  }
}

namespace {

/// Each column's exact sum over two participants holding rows [0, split) and [split, end),
/// through sum_exact on accumulators of type Sum (ExactSum or WindowedExactSum).
template <typename Sum>
std::vector<double> split_sums(const Matrix& all, Index split) {
  return test::on_two_shards(all.topRows(split), all.bottomRows(all.rows() - split),
                             [](ConstMatrixRef shard, const Reducer& r) {
                               std::vector<Sum> sums(static_cast<size_t>(shard.cols()));
                               for (Index c = 0; c < shard.cols(); ++c)
                                 for (Index i = 0; i < shard.rows(); ++i)
                                   sums[static_cast<size_t>(c)].add(shard(i, c));
                               sum_exact(sums, r);
                               std::vector<double> values;
                               for (const Sum& sum : sums) values.push_back(sum.value());
                               return values;
                             });
}

}  // namespace

TEST_CASE("sum_exact: every split between two participants gives the one-process bits") {
  // Several sums at once: mixed values, one all negative, one zero everywhere, one zero on one
  // participant only, one holding values of very different magnitudes, and non-finite ones:
  // +inf on one row, and +inf and −inf on different participants' rows (NaN).
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> mixed = grid_values(3000, 9);
  std::vector<std::vector<double>> columns(7, std::vector<double>(3000, 0.0));
  for (size_t i = 0; i < 3000; ++i) {
    columns[0][i] = mixed[i];
    columns[1][i] = -std::fabs(mixed[i]) - 1e-3;
    columns[3][i] = i < 2000 ? 0.0 : mixed[i];
    columns[4][i] = std::ldexp(mixed[i], static_cast<int>(i % 7) * 40 - 120);
    columns[5][i] = mixed[i];
    columns[6][i] = -mixed[i];
  }
  columns[5][1500] = inf;
  columns[6][0] = inf;
  columns[6][2999] = -inf;
  std::vector<double> whole;
  for (const auto& column : columns) whole.push_back(exact_sum(column));
  CHECK(whole[0] == grid_oracle(columns[0]));
  CHECK(whole[2] == 0.0);
  CHECK(whole[5] == inf);
  CHECK(std::isnan(whole[6]));
  Matrix all(3000, 7);
  for (Index c = 0; c < all.cols(); ++c)
    for (Index i = 0; i < 3000; ++i)
      all(i, c) = columns[static_cast<size_t>(c)][static_cast<size_t>(i)];
  // All seven columns: two reductions (spans, then chunks); the first three or four (with the
  // +inf one): one reduction of every digit.
  for (Index count : {Index{7}, Index{3}, Index{4}}) {
    const Matrix some = all.leftCols(count);
    for (Index split : {Index{1}, Index{1100}, Index{2000}, Index{2999}}) {
      CAPTURE(count);
      CAPTURE(split);
      const std::vector<double> merged = split_sums<ExactSum>(some, split);
      const std::vector<double> windowed = split_sums<WindowedExactSum>(some, split);
      for (size_t c = 0; c < merged.size(); ++c) {
        CAPTURE(c);
        if (std::isnan(whole[c])) {
          CHECK(std::isnan(merged[c]));
          CHECK(std::isnan(windowed[c]));
          continue;
        }
        CHECK(merged[c] == whole[c]);
        CHECK(windowed[c] == whole[c]);
      }
    }
  }
}

TEST_CASE("sum_exact: in one process the sums are left as they are") {
  std::vector<ExactSum> sums(2);
  sums[0].add(1.5);
  sums[1].add(-2.0);
  sum_exact(sums, LocalReducer());
  CHECK(sums[0].value() == 1.5);
  CHECK(sums[1].value() == -2.0);
}
