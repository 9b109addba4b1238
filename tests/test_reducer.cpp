// The reducer seam of the fit: statistics of rows split between participants, merged through a
// Reducer, equal the statistics of all rows. A test reducer plays two participants in one
// process: it adds the partial sums the other participant would contribute.

#include "fit/reducer.hpp"

#include "stats/moments.hpp"
#include "support/known_distributions.hpp"
#include "support/two_shards.hpp"

#include <rbig/rotation.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace rbig;
using namespace rbig::detail;
using rbig::test::on_two_shards;

namespace {

Matrix sample(Index n) {
  Matrix covariance(3, 3);
  covariance << 2.0, 0.5, 0.1, 0.5, 1.0, -0.3, 0.1, -0.3, 0.5;
  Matrix x = test::gaussian_sample(n, covariance, 11);
  x.col(2) = x.col(2).array().exp();  // skewed, away from zero
  return x;
}

std::vector<std::optional<ColumnMoments>> moments_of(ConstMatrixRef x) {
  std::vector<std::optional<ColumnMoments>> result;
  for (Index d = 0; d < x.cols(); ++d) result.push_back(column_moments(x.col(d)));
  return result;
}

}  // namespace

TEST_CASE("reducer: the local reducer leaves every statistic as it is, bit for bit") {
  const Matrix x = sample(1000);
  const LocalReducer local;
  const auto moments = moments_of(x);
  const auto merged = merge_moments(moments, x.rows(), local);
  for (size_t d = 0; d < moments.size(); ++d) {
    CHECK(merged[d]->mean == moments[d]->mean);
    CHECK(merged[d]->sd == moments[d]->sd);
  }
  const Matrix covariance = Rotation::covariance(x);
  CHECK(merge_covariance(covariance, x.colwise().mean().transpose(), x.rows(), local) ==
        covariance);
  CHECK(mean_over_rows(x.col(0).sum(), x.rows(), local) == x.col(0).sum() / 1000.0);
}

TEST_CASE("reducer: moments, covariance and row means of two shards equal those of all rows") {
  const Matrix x = sample(3000);
  const Matrix first = x.topRows(1100);
  const Matrix second = x.bottomRows(1900);

  const auto merged = on_two_shards(first, second, [](ConstMatrixRef shard, const Reducer& r) {
    return merge_moments(moments_of(shard), shard.rows(), r);
  });
  const auto whole = moments_of(x);
  for (size_t d = 0; d < whole.size(); ++d) {
    CHECK(merged[d]->min == whole[d]->min);
    CHECK(merged[d]->max == whole[d]->max);
    CHECK(merged[d]->mean == doctest::Approx(whole[d]->mean).epsilon(1e-12));
    CHECK(merged[d]->sd == doctest::Approx(whole[d]->sd).epsilon(1e-12));
  }

  const Matrix covariance =
      on_two_shards(first, second, [](ConstMatrixRef shard, const Reducer& r) {
        return merge_covariance(Rotation::covariance(shard), shard.colwise().mean().transpose(),
                                shard.rows(), r);
      });
  CHECK((covariance - Rotation::covariance(x)).cwiseAbs().maxCoeff() < 1e-12);

  const double mean = on_two_shards(first, second, [](ConstMatrixRef shard, const Reducer& r) {
    return mean_over_rows(shard.col(1).sum(), shard.rows(), r);
  });
  CHECK(mean == doctest::Approx(x.col(1).mean()).epsilon(1e-14));
}

TEST_CASE("reducer: a column without moments on one participant has none after the merge") {
  const Matrix x = sample(200);
  const auto merged =
      on_two_shards(x.topRows(80), x.bottomRows(120), [](ConstMatrixRef shard, const Reducer& r) {
        auto moments = moments_of(shard);
        if (shard.rows() == 80) moments[1].reset();
        return merge_moments(moments, shard.rows(), r);
      });
  CHECK(merged[0].has_value());
  CHECK_FALSE(merged[1].has_value());
}
