// The fit's sums over fixed global row blocks (fit/row_alignment.hpp, fit/exact_statistics.hpp):
// rows split among participants (support/two_shards.hpp) and aligned give the covariance,
// the column moments and the log-likelihood means of one participant holding every row, bit for
// bit, at any thread count; and they equal the plain statistics up to rounding.

#include "fit/exact_statistics.hpp"
#include "fit/layer_passes.hpp"
#include "fit/row_alignment.hpp"

#include "support/known_distributions.hpp"
#include "support/two_shards.hpp"

#include <rbig/error.hpp>
#include <rbig/rotation.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>

using namespace rbig;
using namespace rbig::detail;
using rbig::test::on_shards;
using rbig::test::on_two_shards;

namespace {

bool same_bytes(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<size_t>(a.size())) == 0;
}

/// The aligned rows of a part, as one matrix.
Matrix aligned_rows(ConstMatrixRef shard, const Reducer& r) {
  const AlignedPart part = align_rows(shard, r);
  const StackedRows rows = part.rows(shard);
  Matrix joined(rows.rows(), rows.cols());
  joined << rows.head, rows.tail;
  return joined;
}

Matrix skewed_sample(Index n, std::uint64_t seed) {
  Matrix covariance(3, 3);
  covariance << 2.0, 0.5, 0.1, 0.5, 1.0, -0.3, 0.1, -0.3, 0.5;
  Matrix x = test::gaussian_sample(n, covariance, seed);
  x.col(2) = x.col(2).array().exp() + 1e4;  // far from 0: the shifts matter
  return x;
}

}  // namespace

TEST_CASE("row alignment: blocks are powers of two, at most 1,024 rows and 1/16 of the rows") {
  CHECK(row_block_rows(1) == 1);
  CHECK(row_block_rows(1000) == 32);  // 1000/16 = 62.5
  CHECK(row_block_rows(16384) == 1024);
  CHECK(row_block_rows(10000000) == 1024);
}

TEST_CASE("row alignment: each part then starts at a multiple of the block, every row once") {
  const Matrix x = skewed_sample(1000, 1);  // blocks of 32 rows
  for (const Index split : {Index{333}, Index{352}, Index{990}}) {
    CAPTURE(split);
    const std::vector<Matrix> parts =
        on_shards({x.topRows(split), x.bottomRows(1000 - split)}, aligned_rows);
    CHECK(parts[0].rows() % 32 == 0);
    CHECK(parts[0].rows() == (split + 31) / 32 * 32);
    Matrix joined(1000, 3);
    joined << parts[0], parts[1];
    CHECK(same_bytes(joined, x));
  }
}

TEST_CASE("row alignment: parts too small for a block, or empty, are left empty, every row once") {
  const Matrix x = skewed_sample(64, 2);  // blocks of 4 rows
  // Part sizes: an empty first part (participant 0 still gets the first block), parts of fewer
  // rows than a block, empty ones between and at the end.
  const std::vector<std::vector<Index>> splits{
      {0, 64}, {63, 1}, {0, 1, 0, 2, 61, 0}, {1, 1, 1, 1, 1, 1, 1, 57}, {5, 0, 3, 6, 50, 0}};
  for (const std::vector<Index>& sizes : splits) {
    CAPTURE(sizes.size());
    std::vector<ConstMatrixRef> shards;
    Index start = 0;
    for (const Index size : sizes) {
      shards.emplace_back(x.middleRows(start, size));
      start += size;
    }
    const std::vector<Matrix> parts = on_shards(shards, aligned_rows);
    CHECK(parts[0].rows() >= 4);
    Matrix joined(64, 3);
    Index at = 0;
    for (const Matrix& part : parts) {
      CHECK(part.cols() == 3);
      CHECK((at % 4 == 0 || part.rows() == 0));  // every non-empty part starts on a block
      joined.middleRows(at, part.rows()) = part;
      at += part.rows();
    }
    CHECK(at == 64);
    CHECK(same_bytes(joined, x));
  }
}

TEST_CASE("exact statistics: two aligned shards give one participant's covariance and moments") {
  const Matrix x = skewed_sample(5000, 3);  // blocks of 256 rows, units of 256
  const Matrix m = Rotation::random(3, 4).matrix().transpose();
  const LocalReducer local;
  const Matrix whole_covariance = exact_covariance_of(x, 1, local);
  CHECK(same_bytes(exact_covariance_of(x, 2, local), whole_covariance));
  // Against the plain covariance on data of order 1 (both form YᵀY − N·μμᵀ, which cancels for
  // the column far from 0).
  const Matrix centred = x.rowwise() - x.colwise().mean();
  const Matrix plain = Rotation::covariance(centred);
  const Matrix exact = exact_covariance_of(centred, 2, local);
  CHECK(((exact - plain).array().abs() / plain.array().abs()).maxCoeff() < 1e-12);
  Matrix rotated = x;
  const auto whole_moments = multiply_rows_with_moments(rotated, m, 2, local);
  for (Index c = 0; c < 3; ++c) {
    const ColumnMoments expected = column_moments(rotated.col(c));
    const ColumnMoments& got = *whole_moments[static_cast<size_t>(c)];
    CHECK(got.min == expected.min);
    CHECK(got.mean == doctest::Approx(expected.mean).epsilon(1e-13));
    CHECK(got.sd == doctest::Approx(expected.sd).epsilon(1e-12));
  }
  const auto on_shards = [&](ConstMatrixRef shard, const Reducer& r) {
    Matrix part = aligned_rows(shard, r);  // 1234 is no multiple of 256
    const Matrix covariance = exact_covariance_of(part, 1, r);
    const auto moments = multiply_rows_with_moments(part, m, 1, r);
    return std::make_pair(covariance, moments);
  };
  const auto [covariance, moments] = on_two_shards(x.topRows(1234), x.bottomRows(3766), on_shards);
  CHECK(same_bytes(covariance, whole_covariance));
  for (size_t c = 0; c < 3; ++c) {
    CHECK(std::memcmp(&*moments[c], &*whole_moments[c], sizeof(ColumnMoments)) == 0);
  }
}

TEST_CASE("exact statistics: column moments of two aligned shards, extreme magnitudes too") {
  Matrix x = skewed_sample(3000, 5);  // blocks of 128 rows
  x.col(0) *= 1e300;                  // column_moments' rescaled pass
  const LocalReducer local;
  const auto whole =
      exact_column_moments(WorkColumns(ConstMatrixRef(x)), {true, true, true}, 2, local);
  for (Index c = 0; c < 3; ++c) {
    const ColumnMoments expected = column_moments(x.col(c));
    const ColumnMoments& got = *whole[static_cast<size_t>(c)];
    CHECK(got.max == expected.max);
    CHECK(got.mean == doctest::Approx(expected.mean).epsilon(1e-12));
    CHECK(got.sd == doctest::Approx(expected.sd).epsilon(1e-12));
  }
  const auto split = on_two_shards(
      x.topRows(1000), x.bottomRows(2000), [&](ConstMatrixRef shard, const Reducer& r) {
        const Matrix part = aligned_rows(shard, r);  // 1000 is no multiple of 128
        return exact_column_moments(WorkColumns(ConstMatrixRef(part)), {true, true, true}, 1, r);
      });
  for (size_t c = 0; c < 3; ++c) {
    CHECK(std::memcmp(&*split[c], &*whole[c], sizeof(ColumnMoments)) == 0);
  }
}

TEST_CASE("exact statistics: a mean over rows summed by units is the same for any split") {
  const Vector values = skewed_sample(2000, 6).col(2);
  const Index unit = sum_unit_rows(2000);  // 64: the split below is at a multiple of it
  const auto mean_of = [&](ConstVectorRef v, const Reducer& r) {
    return mean_over_rows(sum_by_units(v.size(), unit, [&](Index i) { return v[i]; }), v.size(), r);
  };
  const double whole = mean_of(values, LocalReducer());
  CHECK(whole == doctest::Approx(values.mean()).epsilon(1e-15));
  const double split = on_two_shards(
      values.head(640), values.tail(1360),
      [&](ConstMatrixRef shard, const Reducer& r) { return mean_of(shard.col(0), r); });
  CHECK(std::memcmp(&split, &whole, sizeof whole) == 0);
}
