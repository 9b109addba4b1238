#pragma once
// A column's range, mean and standard deviation in one pass (two for extreme magnitudes), for any
// magnitude a double holds: every layer needs them for every column, and the naive Σ(x − mean)²
// underflows for columns of 1e-300 and overflows for columns of 1e300 (the variance itself is
// not representable there; the standard deviation is).

#include <rbig/types.hpp>

#include <algorithm>
#include <cmath>

namespace rbig::detail {

struct ColumnMoments {
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double sd = 0.0;  // divisor N − 1
};

/// Needs N ≥ 2 finite values. The loops keep four interleaved accumulators (independent
/// dependency chains, which the compiler pairs into vector lanes). One pass in the common case:
/// the range and the sums of d = x − x[0] together, accepted when the half-range lies within
/// 2^±400 (then no d² over- or underflows, and a power-of-two rescaling would change no rounding
/// that matters). Otherwise a second pass
/// sums d = (x − x[0])·2^−e with 2^e ≈ the half-range: d is of order 1 whatever the magnitude.
/// The shift by a sample value keeps Σd² − (Σd)²/N from cancelling for data far from 0.
inline ColumnMoments column_moments(ConstVectorRef x) {
  constexpr int kLanes = 4;
  const Index n = x.size();
  const double* data = x.data();
  const Index whole = n - n % kLanes;
  const double first = data[0];
  double lo[kLanes], hi[kLanes], sum[kLanes] = {}, squares[kLanes] = {};
  for (int k = 0; k < kLanes; ++k) lo[k] = hi[k] = first;
  for (Index i = 0; i < whole; i += kLanes) {
    for (int k = 0; k < kLanes; ++k) {
      const double v = data[i + k];
      lo[k] = std::min(lo[k], v);
      hi[k] = std::max(hi[k], v);
      const double d = v - first;  // may overflow for data near ±1.8e308: then rescaled below
      sum[k] += d;
      squares[k] += d * d;
    }
  }
  for (Index i = whole; i < n; ++i) {
    lo[0] = std::min(lo[0], data[i]);
    hi[0] = std::max(hi[0], data[i]);
    const double d = data[i] - first;
    sum[0] += d;
    squares[0] += d * d;
  }
  ColumnMoments m;
  m.min = std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3]));
  m.max = std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3]));
  const double half_range = m.max / 2 - m.min / 2;  // no overflow at ±1.8e308
  int exponent = 0;
  double shift = first;
  if (!(half_range >= 0x1p-400 && half_range <= 0x1p400)) {
    // Clamped so that 2^±e stays a normal number (subnormal columns have e < −1022).
    exponent = half_range > 0.0 ? std::clamp(std::ilogb(half_range), -1022, 1022) : 0;
    const double inverse_scale = std::ldexp(1.0, -exponent);
    shift = first * inverse_scale;
    for (int k = 0; k < kLanes; ++k) sum[k] = squares[k] = 0.0;
    for (Index i = 0; i < whole; i += kLanes) {
      for (int k = 0; k < kLanes; ++k) {
        const double d = data[i + k] * inverse_scale - shift;
        sum[k] += d;
        squares[k] += d * d;
      }
    }
    for (Index i = whole; i < n; ++i) {
      const double d = data[i] * inverse_scale - shift;
      sum[0] += d;
      squares[0] += d * d;
    }
  }
  const double total = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  const double total_squares = (squares[0] + squares[1]) + (squares[2] + squares[3]);
  const double count = static_cast<double>(n);
  const double scaled_variance = std::max(0.0, (total_squares - total * total / count) / (count - 1.0));
  m.mean = std::ldexp(shift + total / count, exponent);
  m.sd = std::ldexp(std::sqrt(scaled_variance), exponent);
  return m;
}

}  // namespace rbig::detail

namespace rbig::detail {

/// column_moments for a marginal's fit: throws NumericalError naming the marginal when x has fewer
/// than 2 values or is constant (no density to fit).
ColumnMoments fit_moments(ConstVectorRef x, const char* marginal);

}  // namespace rbig::detail
