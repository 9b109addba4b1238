#include "stats/exact_sum.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace rbig::detail {
namespace {

constexpr int kPendingLimit = 1 << 30;  // digit contributions < 2³², so no int64 overflows
constexpr std::int64_t kDigitBase = std::int64_t{1} << 32;

}  // namespace

DigitSpread ExactSum::spread(double v) {
  // |v| = mantissa·2^(exponent − 1075), read from the bits (frexp and ldexp cost a call each):
  // a 53-bit integer with the implicit bit, fewer bits for subnormals (exponent field 0 ≙ 1).
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  const auto field = static_cast<int>((bits >> 52) & 0x7ff);
  std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);
  if (field != 0) mantissa |= std::uint64_t{1} << 52;
  const int position = std::max(field, 1) - 1075 + kBias;  // ≥ 52 > 0
  const int shift = position % 32;
  // mantissa·2^shift spans up to 85 bits: bits 0–63 from the (wrapping) 64-bit shift, the rest
  // from the bits shifted out.
  const std::uint64_t low = mantissa << shift;
  const std::uint64_t high = shift == 0 ? 0 : mantissa >> (64 - shift);
  const std::int64_t sign = v < 0.0 ? -1 : 1;
  return {position / 32,
          {sign * static_cast<std::int64_t>(low & 0xffffffffu),
           sign * static_cast<std::int64_t>(low >> 32), sign * static_cast<std::int64_t>(high)}};
}

void ExactSum::add(double v) {
  if (v == 0.0) return;
  if (!std::isfinite(v)) {
    special_ += v;
    return;
  }
  if (++pending_ >= kPendingLimit) normalize();
  const DigitSpread spread_v = spread(v);
  const auto digit = static_cast<size_t>(spread_v.digit);
  low_ = std::min(low_, spread_v.digit);
  high_ = std::max(high_, spread_v.digit + 2);
  for (size_t k = 0; k < 3; ++k) digits_[digit + k] += spread_v.parts[k];
}

void ExactSum::add_integer(std::int64_t value, int bit) {
  if (value == 0) return;
  if (++pending_ >= kPendingLimit) normalize();
  const int digit = bit / 32;
  const std::int64_t shifted = value * (std::int64_t{1} << (bit % 32));  // |·| < 2⁶²
  low_ = std::min(low_, digit);
  high_ = std::max(high_, std::min(digit + 1, kDigits - 1));
  if (digit + 1 == kDigits) {
    digits_[static_cast<size_t>(digit)] += shifted;  // the top digit keeps any magnitude
    return;
  }
  const std::int64_t upper = shifted >> 32;  // floor: the lower part is in [0, 2³²)
  digits_[static_cast<size_t>(digit)] += shifted - upper * kDigitBase;
  digits_[static_cast<size_t>(digit) + 1] += upper;
}

void ExactSum::add(const ExactSum& other) {
  ExactSum copy = other;
  copy.normalize();
  normalize();
  for (size_t j = 0; j < digits_.size(); ++j) digits_[j] += copy.digits_[j];
  low_ = std::min(low_, copy.low_);
  high_ = std::max(high_, copy.high_);
  special_ += other.special_;
  normalize();
}

void ExactSum::normalize() {
  int j = low_;
  for (; j + 1 < kDigits; ++j) {
    // Floor division by 2³² (an arithmetic shift), so the digit left is in [0, 2³²).
    const std::int64_t carry = digits_[static_cast<size_t>(j)] >> 32;
    digits_[static_cast<size_t>(j)] -= carry * kDigitBase;
    digits_[static_cast<size_t>(j) + 1] += carry;
    if (carry == 0 && j >= high_) break;  // every digit above is zero and stays so
  }
  if (low_ < kDigits) high_ = std::max(high_, std::min(j + 1, kDigits - 1));
  pending_ = 0;
}

void ExactSum::normalize_sign_magnitude() {
  normalize();
  if (digits_.back() >= 0) return;
  for (auto& digit : digits_) digit = -digit;
  normalize();
  for (auto& digit : digits_) digit = -digit;
}

int ExactSum::lowest_digit() const {
  int low = 0;
  while (low < kDigits && digits_[static_cast<size_t>(low)] == 0) ++low;
  return low;
}

int ExactSum::highest_digit() const {
  int high = kDigits - 1;
  while (high >= 0 && digits_[static_cast<size_t>(high)] == 0) --high;
  return high;
}

double ExactSum::value() const {
  if (special_ != 0.0) return special_;  // ±inf or NaN (NaN ≠ 0 too)
  ExactSum magnitude = *this;
  magnitude.normalize();
  auto& d = magnitude.digits_;
  const bool negative = d[kDigits - 1] < 0;
  if (negative) {
    for (auto& digit : d) digit = -digit;
    magnitude.normalize();
  }
  int top = std::min(kDigits - 1, magnitude.high_);  // digits above high_ are zero
  while (top >= 0 && d[static_cast<size_t>(top)] == 0) --top;
  if (top < 0) return 0.0;
  // The leading 64 bits of the top three digits (96 bits, the leading digit nonzero), with a
  // sticky bit for every bit below them or-ed into bit 0: that rounds to 53 bits exactly as the
  // whole number would (the conversion rounds to nearest, ties to even).
  const auto at = [&](int j) {
    return j < 0 ? std::uint64_t{0} : static_cast<std::uint64_t>(d[static_cast<size_t>(j)]);
  };
  const std::uint64_t head = (at(top) << 32) | at(top - 1);  // ≥ 2³²: at(top) ≠ 0
  const std::uint64_t next = at(top - 2);
  const int shift = __builtin_clzll(head);  // < 32
  std::uint64_t leading = shift == 0 ? head : (head << shift) | (next >> (32 - shift));
  bool sticky = (next & ((std::uint64_t{1} << (32 - shift)) - 1)) != 0;
  for (int j = top - 3; j >= magnitude.low_ && !sticky; --j) sticky = at(j) != 0;
  if (sticky) leading |= 1;
  // head's bit 0 weighs 2^(32·(top − 1) − kBias); leading's, `shift` bits less.
  const int exponent = 32 * (top - 1) - kBias - shift;
  const double rounded = std::ldexp(static_cast<double>(leading), exponent);
  return negative ? -rounded : rounded;
}

}  // namespace rbig::detail
