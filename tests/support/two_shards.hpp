#pragma once
// Two participants of a distributed fit in one process (tests of the reducer seam): each runs on
// its own thread with a reducer that combines its contribution with the other's.

#include <rbig/types.hpp>

#include "fit/reducer.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace rbig::test {

using detail::Reducer;

/// Two participants in one process, each on its own thread: every collective call waits for
/// both, then gives each the combination of the two contributions in participant order.
class Exchange {
 public:
  /// The two contributions one after the other, in participant order.
  std::vector<double> concatenate(int rank, const std::vector<double>& mine) {
    std::unique_lock<std::mutex> lock(mutex_);
    const long round = round_;
    slots_[rank] = mine;
    if (++arrived_ == 2) {
      result_ = slots_[0];
      result_.insert(result_.end(), slots_[1].begin(), slots_[1].end());
      arrived_ = 0;
      ++round_;
      changed_.notify_all();
    } else {
      changed_.wait(lock, [&] { return round_ != round; });
    }
    return result_;
  }

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
  void sum(std::vector<std::int32_t>& v) const override {
    std::vector<double> wide(v.begin(), v.end());  // exact: the counts are below 2³¹
    sum(wide);
    v.assign(wide.begin(), wide.end());
  }
  void sum(std::vector<std::int64_t>& v) const override {
    std::vector<double> wide(v.begin(), v.end());  // exact: the tests' digits are below 2⁵²
    sum(wide);
    v.assign(wide.begin(), wide.end());
  }
  void min(std::vector<double>& v) const override {
    v = exchange_.combine(rank_, v, [](double a, double b) { return std::min(a, b); });
  }
  void max(std::vector<double>& v) const override {
    v = exchange_.combine(rank_, v, [](double a, double b) { return std::max(a, b); });
  }
  std::vector<double> gather(const std::vector<double>& v) const override {
    return exchange_.concatenate(rank_, v);
  }
  int participant() const override { return rank_; }
  int participants() const override { return 2; }

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

}  // namespace rbig::test
