// Dequantization: uniform noise of each column's grid step (see dequantize.hpp for the why).

#include <rbig/dequantize.hpp>
#include <rbig/error.hpp>

#include "core/check.hpp"
#include "core/rng.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace rbig {

Vector quantization_steps(ConstMatrixRef x) {
  detail::check_finite("dequantize", "every value", x);
  Vector steps = Vector::Zero(x.cols());
  std::vector<double> sorted;
  for (Index c = 0; c < x.cols(); ++c) {
    sorted.assign(x.col(c).data(), x.col(c).data() + x.rows());
    std::sort(sorted.begin(), sorted.end());
    double step = 0.0;
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      const double gap = sorted[i] - sorted[i - 1];
      // gap can be +inf for values near ±max; such a step would make the noise infinite.
      if (gap > 0.0 && std::isfinite(gap) && (step == 0.0 || gap < step)) step = gap;
    }
    steps(c) = step;
  }
  return steps;
}

Matrix dequantize(ConstMatrixRef x, std::uint64_t seed) {
  const Vector steps = quantization_steps(x);
  Matrix out = x;
  for (Index c = 0; c < x.cols(); ++c) {
    if (steps(c) == 0.0) continue;
    detail::Rng rng(detail::derive_seed(seed, static_cast<std::uint64_t>(c)));
    for (Index r = 0; r < x.rows(); ++r) {
      const double noisy = x(r, c) + (rng.uniform() - 0.5) * steps(c);
      if (std::isfinite(noisy)) out(r, c) = noisy;  // next to ±max a value is kept as it is
    }
  }
  return out;
}

}  // namespace rbig
