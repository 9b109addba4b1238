#pragma once
// The exact sum of doubles, in any order: the building block for sums that must not depend on
// how the rows were split among participants or threads (issue 18). Floating-point addition
// rounds at every step, so Σ over one split differs in the last bits from Σ over another; here
// every double is added exactly to a fixed-point integer spanning the whole double range (a
// "long accumulator", Kulisch), so any grouping and order gives the same integer, and value()
// rounds it once, to nearest. Merging two accumulators is exact too, and so is the reduction over
// participants (sum_exact in fit/reducer.hpp), which sends only the digits some participant uses.
//
// Cost: a few integer operations per add (against one for a plain sum): meant for partial sums
// of fixed blocks (a block's covariance or column sums, a block's log-likelihood), not for every
// value of a hot loop.

#include <array>
#include <cstdint>

namespace rbig::detail {

/// A finite nonzero double as three 32-bit digits: v = sign·(low + middle·2³² + high·2⁶⁴)·
/// 2^(32·digit − ExactSum::kBias), each part in [0, 2³²) times sign.
struct DigitSpread {
  int digit;
  std::int64_t parts[3];
};

class ExactSum {
 public:
  /// 32-bit digits, each held in an int64 (room for 2³⁰ adds between carry passes); digit j has
  /// weight 2^(32·j − kBias), which spans every double's bits (down to 2^−1074 with the 53 bits
  /// of a subnormal's mantissa frame) and the carries of sums up to 2^1088.
  static constexpr int kDigits = 70;
  static constexpr int kBias = 1126;  // 2^−kBias: the weight of bit 0

  /// v's digits (v finite and nonzero).
  static DigitSpread spread(double v);

  /// Adds v exactly. A non-finite v makes value() non-finite (as a plain sum would be).
  void add(double v);
  /// Adds value·2^(bit − kBias) exactly, |value| < 2³¹, 0 ≤ bit < 32·kDigits.
  void add_integer(std::int64_t value, int bit);
  /// Adds another accumulator's sum exactly.
  void add(const ExactSum& other);
  /// The sum rounded to the nearest double (ties to even); ±inf beyond the double range.
  double value() const;

  /// Carry pass: every digit but the top in [0, 2³²) (the top keeps the sign). The same sum
  /// then has the same digits, whatever the order of the adds.
  void normalize();
  /// Carry pass to digits of one sign, those of the magnitude, negated for a negative sum: only
  /// the digits the magnitude needs are nonzero, where the normal form of a negative sum above
  /// fills every digit up to the top.
  void normalize_sign_magnitude();
  /// The lowest and highest nonzero digit (kDigits and −1 for a zero sum).
  int lowest_digit() const;
  int highest_digit() const;
  /// Writable digits: the carry pass then visits all of them again.
  std::array<std::int64_t, kDigits>& digits() {
    low_ = 0;
    high_ = kDigits - 1;
    return digits_;
  }
  const std::array<std::int64_t, kDigits>& digits() const { return digits_; }
  /// The plain sum of the non-finite values added (0 when there were none).
  double special() const { return special_; }
  void set_special(double special) { special_ = special; }

 private:
  std::array<std::int64_t, kDigits> digits_{};
  double special_ = 0.0;
  int pending_ = 0;  // adds since the last carry pass
  // Digits outside [low_, high_] are zero: the carry pass starts at low_ and, with no carry
  // left, stops after high_ (a fit's sums use ~4 of the 70 digits).
  int low_ = kDigits;
  int high_ = -1;
};

}  // namespace rbig::detail
