#pragma once
// An exact sum (stats/exact_sum.hpp) in 56 bytes instead of ~570: for the many sums of a
// covariance (one per entry), whose addends — a block's cross products of one entry — span few
// exponents. It keeps a window of five of ExactSum's 70 digits, placed where the first addend
// lands, and widens to a whole ExactSum only when an addend falls outside the window or is not
// finite. The exact sum, and so value(), is the same either way and in any order of the adds.

#include "stats/exact_sum.hpp"

#include <array>
#include <cstdint>
#include <memory>

namespace rbig::detail {

class WindowedExactSum {
 public:
  WindowedExactSum() = default;
  WindowedExactSum(const WindowedExactSum& other) { *this = other; }
  WindowedExactSum& operator=(const WindowedExactSum& other);
  WindowedExactSum(WindowedExactSum&&) noexcept = default;
  WindowedExactSum& operator=(WindowedExactSum&&) noexcept = default;

  /// Adds v exactly.
  void add(double v);
  /// The sum as a whole accumulator (for sum_exact and value()).
  ExactSum expand() const;
  /// Takes the sum of `sum` (the window again when its digits fit in one).
  void assign(const ExactSum& sum);
  double value() const { return expand().value(); }

  static constexpr int kWindow = 5;

 private:
  void normalize();
  std::array<std::int64_t, kWindow> digits_{};
  std::int16_t base_ = -1;  // the ExactSum digit of digits_[0]; −1: nothing added yet
  std::int32_t pending_ = 0;
  std::unique_ptr<ExactSum> wide_;  // the whole sum, once the window did not suffice
};

}  // namespace rbig::detail
