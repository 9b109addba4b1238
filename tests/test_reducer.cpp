// The reducer seam of the fit: statistics of rows split between participants, merged through a
// Reducer, equal the statistics of all rows. A test reducer plays two participants in one
// process: it adds the partial sums the other participant would contribute.

#include "fit/reducer.hpp"

#include "stats/moments.hpp"
#include "support/known_distributions.hpp"

#include <rbig/rotation.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace rbig;
using namespace rbig::detail;

namespace {

/// Two participants in one process, each on its own thread: every collective call waits for
/// both, then gives each the combination of the two contributions in participant order.
class Exchange {
 public:
  template <typename Op>
  std::vector<double> combine(int rank, const std::vector<double>& mine, Op op) {
    std::unique_lock<std::mutex> lock(mutex_);
    const long round = round_;
    slots_[rank] = mine;
    if (++arrived_ == 2) {
      result_.resize(mine.size());
      for (size_t i = 0; i < mine.size(); ++i) result_[i] = op(slots_[0][i], slots_[1][i]);
      arrived_ = 0;
      ++round_;
      changed_.notify_all();
    } else {
      changed_.wait(lock, [&] { return round_ != round; });
    }
    return result_;  // read under the lock, before a next round can start
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<double> slots_[2];
  std::vector<double> result_;
  int arrived_ = 0;
  long round_ = 0;
};

class TwoShardReducer final : public Reducer {
 public:
  TwoShardReducer(Exchange& exchange, int rank) : exchange_(exchange), rank_(rank) {}
  bool is_local() const override { return false; }
  void sum(std::vector<double>& v) const override {
    v = exchange_.combine(rank_, v, [](double a, double b) { return a + b; });
  }
  void min(std::vector<double>& v) const override {
    v = exchange_.combine(rank_, v, [](double a, double b) { return std::min(a, b); });
  }
  void max(std::vector<double>& v) const override {
    v = exchange_.combine(rank_, v, [](double a, double b) { return std::max(a, b); });
  }

 private:
  Exchange& exchange_;
  int rank_;
};

/// Runs f(shard, reducer) for both shards concurrently; returns shard 1's result.
template <typename F>
auto on_two_shards(ConstMatrixRef first, ConstMatrixRef second, F f) {
  Exchange exchange;
  const TwoShardReducer reducer0(exchange, 0);
  const TwoShardReducer reducer1(exchange, 1);
  std::thread other([&] { f(first, reducer0); });
  auto result = f(second, reducer1);
  other.join();
  return result;
}

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
