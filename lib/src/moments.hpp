#pragma once
// One pass over a column for its range, mean and variance: every layer needs them for every
// column, and separate passes (min, max, mean, squared deviations) each stream the column anew.

#include <rbig/types.hpp>

#include <algorithm>

namespace rbig::detail {

struct ColumnMoments {
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double variance = 0.0;  // divisor N − 1
};

/// Sums of d = x − x[0] and d² in four interleaved accumulators (independent dependency chains,
/// which the compiler can pair into vector lanes). The shift by a sample value keeps the sums
/// small, so Σd² − (Σd)²/N does not cancel for data far from 0. Needs N ≥ 2.
inline ColumnMoments column_moments(ConstVectorRef x) {
  constexpr int kLanes = 4;
  const Index n = x.size();
  const double shift = x[0];
  double lo[kLanes], hi[kLanes], sum[kLanes], squares[kLanes];
  for (int k = 0; k < kLanes; ++k) {
    lo[k] = hi[k] = shift;
    sum[k] = squares[k] = 0.0;
  }
  const double* data = x.data();
  const Index whole = n - n % kLanes;
  for (Index i = 0; i < whole; i += kLanes) {
    for (int k = 0; k < kLanes; ++k) {
      const double v = data[i + k];
      const double d = v - shift;
      lo[k] = std::min(lo[k], v);
      hi[k] = std::max(hi[k], v);
      sum[k] += d;
      squares[k] += d * d;
    }
  }
  for (Index i = whole; i < n; ++i) {
    const double d = data[i] - shift;
    lo[0] = std::min(lo[0], data[i]);
    hi[0] = std::max(hi[0], data[i]);
    sum[0] += d;
    squares[0] += d * d;
  }
  ColumnMoments m;
  m.min = std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3]));
  m.max = std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3]));
  const double total = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  const double total_squares = (squares[0] + squares[1]) + (squares[2] + squares[3]);
  const double count = static_cast<double>(n);
  m.mean = shift + total / count;
  m.variance = std::max(0.0, (total_squares - total * total / count) / (count - 1.0));
  return m;
}

}  // namespace rbig::detail
