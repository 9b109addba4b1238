#pragma once
// Participants of a distributed fit in one process (tests of the reducer seam): each runs on its
// own thread with a reducer that combines its contribution with the others'.

#include <rbig/types.hpp>

#include "fit/reducer.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace rbig::test {

using detail::Reducer;

/// Participants in one process, each on its own thread: every collective call waits for all,
/// then gives each the combination of their contributions in participant order.
class Exchange {
 public:
  explicit Exchange(int participants = 2)
      : slots_(static_cast<size_t>(participants)), participants_(participants) {}
  int participants() const { return participants_; }

  /// The contributions one after the other, in participant order.
  std::vector<double> concatenate(int rank, const std::vector<double>& mine) {
    std::unique_lock<std::mutex> lock(mutex_);
    const long round = round_;
    slots_[static_cast<size_t>(rank)] = mine;
    if (++arrived_ == participants_) {
      result_.clear();
      for (const std::vector<double>& slot : slots_)
        result_.insert(result_.end(), slot.begin(), slot.end());
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
    slots_[static_cast<size_t>(rank)] = mine;
    if (++arrived_ == participants_) {
      result_ = slots_[0];
      for (size_t k = 1; k < slots_.size(); ++k) {
        for (size_t i = 0; i < mine.size(); ++i) result_[i] = op(result_[i], slots_[k][i]);
      }
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
  std::vector<std::vector<double>> slots_;
  int participants_;
  std::vector<double> result_;
  int arrived_ = 0;
  long round_ = 0;
};

class ShardReducer final : public Reducer {
 public:
  ShardReducer(Exchange& exchange, int rank) : exchange_(exchange), rank_(rank) {}
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
    // Modulo 2⁶⁴ as MPI's integer sum: the 32-bit halves summed as doubles (exact for fewer
    // than 2²¹ participants), then joined with the low halves' carry.
    std::vector<double> halves;
    for (std::int64_t x : v) {
      const auto u = static_cast<std::uint64_t>(x);
      halves.push_back(static_cast<double>(u & 0xFFFFFFFFu));
      halves.push_back(static_cast<double>(u >> 32));
    }
    sum(halves);
    for (size_t i = 0; i < v.size(); ++i) {
      const auto low = static_cast<std::uint64_t>(halves[2 * i]);
      const auto high = static_cast<std::uint64_t>(halves[2 * i + 1]);
      v[i] = static_cast<std::int64_t>(low + (high << 32));
    }
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
  int participants() const override { return exchange_.participants(); }

 private:
  Exchange& exchange_;
  int rank_;
};

/// Runs f(shard, reducer) for both shards concurrently; returns shard 1's result.
template <typename F>
auto on_two_shards(ConstMatrixRef first, ConstMatrixRef second, F f) {
  Exchange exchange;
  const ShardReducer reducer0(exchange, 0);
  const ShardReducer reducer1(exchange, 1);
  std::thread other([&] { f(first, reducer0); });
  auto result = f(second, reducer1);
  other.join();
  return result;
}

/// Runs f(shard, reducer) for every shard concurrently, shard k as participant k (shards may be
/// empty); returns the results in participant order.
template <typename F>
auto on_shards(const std::vector<ConstMatrixRef>& shards, F f) {
  using Result = decltype(f(shards[0], std::declval<const Reducer&>()));
  Exchange exchange(static_cast<int>(shards.size()));
  std::vector<std::optional<Result>> results(shards.size());
  std::vector<std::thread> others;
  for (size_t k = 1; k < shards.size(); ++k) {
    others.emplace_back([&, k] {
      const ShardReducer reducer(exchange, static_cast<int>(k));
      results[k].emplace(f(shards[k], reducer));
    });
  }
  const ShardReducer reducer0(exchange, 0);
  results[0].emplace(f(shards[0], reducer0));
  for (std::thread& other : others) other.join();
  std::vector<Result> all;
  for (std::optional<Result>& result : results) all.push_back(std::move(*result));
  return all;
}

}  // namespace rbig::test
