#pragma once
// A column's range, mean and standard deviation in one pass (two for extreme magnitudes), for any
// magnitude a double holds: every layer needs them for every column, and the naive Σ(x − mean)²
// underflows for columns of 1e-300 and overflows for columns of 1e300 (the variance itself is
// not representable there; the standard deviation is).

#include <rbig/types.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>

namespace rbig::detail {

struct ColumnMoments {
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double sd = 0.0;  // divisor N − 1
};

/// The sums behind column_moments: range, Σd and Σd² with d = x·scale − shift, over pieces of a
/// column added in order (add) or summed apart and merged in order (merge), so that a pass that
/// visits the column block by block (layer_passes.cpp) gets the moments without a pass of its own.
/// shift should lie within the column's range (a value of it, up to rounding): Σd² − (Σd)²/N
/// then does not cancel for data far from 0. Four interleaved accumulators (independent
/// dependency chains, which the compiler pairs into vector lanes); each add() starts at lane 0.
class MomentSums {
 public:
  static constexpr int kLanes = 4;

  MomentSums(double shift, double scale) : shift_(shift), scale_(scale) {
    for (int k = 0; k < kLanes; ++k) {
      lo_[k] = std::numeric_limits<double>::infinity();
      hi_[k] = -std::numeric_limits<double>::infinity();
    }
  }

  void add(const double* data, Index n) {
    // Local copies: the stores to the members could alias `data` (both are doubles), which would
    // keep the loop from vectorising.
    double lo[kLanes], hi[kLanes], sum[kLanes], squares[kLanes];
    std::copy(lo_, lo_ + kLanes, lo);
    std::copy(hi_, hi_ + kLanes, hi);
    std::copy(sum_, sum_ + kLanes, sum);
    std::copy(squares_, squares_ + kLanes, squares);
    const double shift = shift_;
    const double scale = scale_;
    const Index whole = n - n % kLanes;
    for (Index i = 0; i < whole; i += kLanes) {
      for (int k = 0; k < kLanes; ++k) {
        const double v = data[i + k];
        lo[k] = std::min(lo[k], v);
        hi[k] = std::max(hi[k], v);
        const double d = v * scale - shift;  // may overflow near ±1.8e308: see moments()
        sum[k] += d;
        squares[k] += d * d;
      }
    }
    for (Index i = whole; i < n; ++i) {
      lo[0] = std::min(lo[0], data[i]);
      hi[0] = std::max(hi[0], data[i]);
      const double d = data[i] * scale - shift;
      sum[0] += d;
      squares[0] += d * d;
    }
    std::copy(lo, lo + kLanes, lo_);
    std::copy(hi, hi + kLanes, hi_);
    std::copy(sum, sum + kLanes, sum_);
    std::copy(squares, squares + kLanes, squares_);
  }

  /// Adds the sums of the rows that follow this one's (same shift and scale), lane by lane.
  void merge(const MomentSums& later) {
    for (int k = 0; k < kLanes; ++k) {
      lo_[k] = std::min(lo_[k], later.lo_[k]);
      hi_[k] = std::max(hi_[k], later.hi_[k]);
      sum_[k] += later.sum_[k];
      squares_[k] += later.squares_[k];
    }
  }

  double min() const { return std::min(std::min(lo_[0], lo_[1]), std::min(lo_[2], lo_[3])); }
  double max() const { return std::max(std::max(hi_[0], hi_[1]), std::max(hi_[2], hi_[3])); }

  /// The moments of the `count` ≥ 2 values added (scale 1), or nothing when their half-range lies
  /// outside 2^±400: there a d² may have over- or underflowed, and column_moments makes a second,
  /// rescaled pass. Within it no d² over- or underflows, and a power-of-two rescaling would change
  /// no rounding that matters.
  std::optional<ColumnMoments> moments(Index count) const {
    const double half_range = max() / 2 - min() / 2;  // no overflow at ±1.8e308
    if (!(half_range >= 0x1p-400 && half_range <= 0x1p400)) return std::nullopt;
    return scaled_moments(count, 0);
  }

  /// The moments when the values were added with scale = 2^−exponent (and shift in those units).
  ColumnMoments scaled_moments(Index count, int exponent) const {
    return from_totals(min(), max(), total(), total_squares(), count, shift_, exponent);
  }

  /// Σd and Σd², the lanes added in one fixed order.
  double total() const { return (sum_[0] + sum_[1]) + (sum_[2] + sum_[3]); }
  double total_squares() const { return (squares_[0] + squares_[1]) + (squares_[2] + squares_[3]); }

  /// The moments of `count` ≥ 2 values from their range and their sums Σd and Σd² with
  /// d = x·2^−exponent − shift (however those sums were formed).
  static ColumnMoments from_totals(double min, double max, double total, double total_squares,
                                   Index count, double shift, int exponent) {
    const double n = static_cast<double>(count);
    const double scaled_variance = std::max(0.0, (total_squares - total * total / n) / (n - 1.0));
    ColumnMoments m;
    m.min = min;
    m.max = max;
    m.mean = std::ldexp(shift + total / n, exponent);
    m.sd = std::ldexp(std::sqrt(scaled_variance), exponent);
    return m;
  }

 private:
  double shift_;
  double scale_;
  double lo_[kLanes];
  double hi_[kLanes];
  double sum_[kLanes] = {};
  double squares_[kLanes] = {};
};

/// Needs N ≥ 2 finite values. One pass in the common case: the range and the sums of
/// d = x − x[0] together (MomentSums::moments). Otherwise a second pass sums
/// d = (x − x[0])·2^−e with 2^e ≈ the half-range: d is of order 1 whatever the magnitude.
inline ColumnMoments column_moments(ConstVectorRef x) {
  const Index n = x.size();
  const double first = x[0];
  MomentSums sums(first, 1.0);
  sums.add(x.data(), n);
  if (const std::optional<ColumnMoments> moments = sums.moments(n)) return *moments;
  const double half_range = sums.max() / 2 - sums.min() / 2;
  // Clamped so that 2^±e stays a normal number (subnormal columns have e < −1022).
  const int exponent = half_range > 0.0 ? std::clamp(std::ilogb(half_range), -1022, 1022) : 0;
  const double inverse_scale = std::ldexp(1.0, -exponent);
  MomentSums scaled(first * inverse_scale, inverse_scale);
  scaled.add(x.data(), n);
  return scaled.scaled_moments(n, exponent);
}

/// column_moments for a marginal's fit: throws NumericalError naming the marginal when x has fewer
/// than 2 values or is constant (no density to fit).
ColumnMoments fit_moments(ConstVectorRef x, std::string_view marginal);

/// The same checks on moments of a sample of n values computed elsewhere.
void check_fit_moments(Index n, const ColumnMoments& moments, std::string_view marginal);

}  // namespace rbig::detail
