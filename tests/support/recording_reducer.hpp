#pragma once
// A reducer that forwards every collective to another and counts the calls by kind and the
// values this participant sent (tests of what a protocol sends: reducer counts, binned counts).

#include "fit/reducer.hpp"

#include <cstdint>
#include <vector>

namespace rbig::test {

using detail::Reducer;

/// Forwards every collective to `inner` and counts the calls by kind.
class RecordingReducer final : public Reducer {
 public:
  explicit RecordingReducer(const Reducer& inner) : inner_(inner) {}
  bool is_local() const override { return inner_.is_local(); }
  void sum(std::vector<double>& v) const override { record(double_sums, v).sum(v); }
  void sum(std::vector<std::int32_t>& v) const override { record(narrow_sums, v).sum(v); }
  void sum(std::vector<std::int64_t>& v) const override { record(others, v).sum(v); }
  void min(std::vector<double>& v) const override { record(others, v).min(v); }
  void max(std::vector<double>& v) const override { record(others, v).max(v); }
  void bitwise_or(std::vector<std::uint64_t>& v) const override { record(others, v).bitwise_or(v); }
  std::vector<double> gather(const std::vector<double>& v) const override {
    return record(others, v).gather(v);
  }
  int participant() const override { return inner_.participant(); }
  int participants() const override { return inner_.participants(); }

  mutable int double_sums = 0;
  mutable int narrow_sums = 0;
  mutable int others = 0;
  mutable size_t sent = 0;  // values (of any width) in all calls

 private:
  /// Counts one call of a kind and its values; returns the reducer to forward it to.
  template <typename Values>
  const Reducer& record(int& kind, const Values& values) const {
    ++kind;
    sent += values.size();
    return inner_;
  }
  const Reducer& inner_;
};

}  // namespace rbig::test
