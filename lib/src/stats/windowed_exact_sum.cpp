#include "stats/windowed_exact_sum.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace rbig::detail {
namespace {

static_assert(sizeof(WindowedExactSum) <= 64, "one covariance entry's sum: a small constant");

constexpr std::int32_t kPendingLimit = 1 << 30;  // as ExactSum: digit sums stay below 2⁶³

}  // namespace

WindowedExactSum& WindowedExactSum::operator=(const WindowedExactSum& other) {
  if (this == &other) return *this;
  digits_ = other.digits_;
  base_ = other.base_;
  pending_ = other.pending_;
  wide_ = other.wide_ ? std::make_unique<ExactSum>(*other.wide_) : nullptr;
  return *this;
}

void WindowedExactSum::add(double v) {
  if (v == 0.0) return;
  if (wide_) {
    wide_->add(v);
    return;
  }
  if (std::isfinite(v)) {
    const DigitSpread spread = ExactSum::spread(v);
    // The first addend's digits go in the middle of the window: one digit of room below, one
    // above (block sums of one entry rarely move by 2³² either way).
    if (base_ < 0)
      base_ =
          static_cast<std::int16_t>(std::clamp(spread.digit - 1, 0, ExactSum::kDigits - kWindow));
    const int at = spread.digit - base_;
    if (at >= 0 && at + 3 <= kWindow) {
      if (++pending_ >= kPendingLimit) normalize();
      for (size_t k = 0; k < 3; ++k) digits_[static_cast<size_t>(at) + k] += spread.parts[k];
      return;
    }
  }
  wide_ = std::make_unique<ExactSum>(expand());
  wide_->add(v);
}

void WindowedExactSum::normalize() {
  // As ExactSum::normalize within the window; the top digit keeps the sign and any carry.
  for (size_t j = 0; j + 1 < digits_.size(); ++j) {
    const std::int64_t carry = digits_[j] >> 32;
    digits_[j] -= carry * (std::int64_t{1} << 32);
    digits_[j + 1] += carry;
  }
  pending_ = 0;
}

ExactSum WindowedExactSum::expand() const {
  if (wide_) return *wide_;
  ExactSum sum;
  if (base_ < 0) return sum;
  auto& digits = sum.digits();
  for (size_t j = 0; j < digits_.size(); ++j) digits[static_cast<size_t>(base_) + j] = digits_[j];
  sum.normalize();
  return sum;
}

void WindowedExactSum::assign(const ExactSum& sum) {
  ExactSum magnitude = sum;
  magnitude.normalize_sign_magnitude();
  const int low = magnitude.lowest_digit();
  const int high = magnitude.highest_digit();
  if (magnitude.special() != 0.0 || high - low >= kWindow) {
    wide_ = std::make_unique<ExactSum>(magnitude);
    return;
  }
  wide_.reset();
  digits_.fill(0);
  pending_ = 0;
  if (low > high) {
    base_ = -1;
    return;
  }
  base_ = static_cast<std::int16_t>(std::min(low, ExactSum::kDigits - kWindow));
  for (int j = low; j <= high; ++j)
    digits_[static_cast<size_t>(j - base_)] =
        std::as_const(magnitude).digits()[static_cast<size_t>(j)];
}

}  // namespace rbig::detail
