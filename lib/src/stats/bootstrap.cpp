#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/info.hpp>

#include "core/random_streams.hpp"
#include "core/rng.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace rbig {
namespace {

void check_bootstrap_options(int resamples, double level) {
  if (resamples < 2) {
    throw OptionError("bootstrap", fmt::format("resamples must be at least 2 (got {})", resamples));
  }
  if (!(level > 0.0 && level < 1.0)) {
    throw OptionError("bootstrap", fmt::format("level must be in (0, 1) (got {})", level));
  }
}

/// Half of x's rows (floor(N/2)), drawn without replacement by a seeded partial Fisher–Yates
/// shuffle, in their original order.
Matrix half_sample(ConstMatrixRef x, detail::Rng& rng) {
  const Index n = x.rows();
  const Index m = n / 2;
  std::vector<Index> order(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  for (Index i = 0; i < m; ++i) {
    const auto left = static_cast<double>(n - i);
    const Index j = i + std::min(static_cast<Index>(rng.uniform() * left), n - i - 1);
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  std::sort(order.begin(), order.begin() + m);
  Matrix out(m, x.cols());
  for (Index r = 0; r < m; ++r) out.row(r) = x.row(order[static_cast<std::size_t>(r)]);
  return out;
}

detail::Rng resample_rng(std::uint64_t seed, int r) {
  return detail::Rng(detail::derive_seed(
      seed, detail::stream_id(detail::RandomStream::Bootstrap, static_cast<unsigned>(r))));
}

}  // namespace

Interval half_sample_interval(double full, const std::vector<double>& halves, double level) {
  check_bootstrap_options(static_cast<int>(halves.size()), level);
  const double count = static_cast<double>(halves.size());
  double mean = 0.0;
  for (double v : halves) mean += v / count;
  double squares = 0.0;
  for (double v : halves) squares += (v - mean) * (v - mean);
  // Var(θ̂_{N/2} − θ̂_N) = σ²·(2/N − 1/N) = σ²/N for an estimate of variance σ²/n: the spread of
  // the halves about the full estimate is the full estimate's own spread, with no rescaling.
  const double sd = std::sqrt(squares / (count - 1.0));
  // Bias c/n: the halves sit c/N above the full sample on average, which is the full sample's
  // own bias. The interval spans the raw and the corrected estimate (info.hpp says why).
  const double corrected = full - (mean - full);
  // Student's t with B − 1 degrees of freedom: sd comes from B halves (z = 1.96 under-covered
  // at B = 10, where t = 2.26).
  const boost::math::students_t law(count - 1.0);
  const double z = boost::math::quantile(boost::math::complement(law, (1.0 - level) / 2.0));
  return {std::min(full, corrected) - z * sd, std::max(full, corrected) + z * sd, corrected};
}

Interval subsample_interval(const std::function<double(ConstMatrixRef)>& estimate, ConstMatrixRef x,
                            int resamples, std::uint64_t seed, double level) {
  check_bootstrap_options(resamples, level);
  const double full = estimate(x);
  std::vector<double> halves;
  for (int r = 0; r < resamples; ++r) {
    throw_if_cancelled();
    detail::Rng rng = resample_rng(seed, r);
    halves.push_back(estimate(half_sample(x, rng)));
  }
  return half_sample_interval(full, halves, level);
}

Interval subsample_interval(const std::function<double(ConstMatrixRef, ConstMatrixRef)>& estimate,
                            ConstMatrixRef a, ConstMatrixRef b, int resamples, std::uint64_t seed,
                            double level) {
  check_bootstrap_options(resamples, level);
  const double full = estimate(a, b);
  std::vector<double> halves;
  for (int r = 0; r < resamples; ++r) {
    throw_if_cancelled();
    detail::Rng rng = resample_rng(seed, r);
    const Matrix half_a = half_sample(a, rng);
    halves.push_back(estimate(half_a, half_sample(b, rng)));
  }
  return half_sample_interval(full, halves, level);
}

Interval bootstrap_interval(const std::function<double(ConstMatrixRef)>& estimate, ConstMatrixRef x,
                            int resamples, std::uint64_t seed, double level) {
  return subsample_interval(estimate, x, resamples, seed, level);
}

Interval bootstrap_interval(const std::function<double(ConstMatrixRef, ConstMatrixRef)>& estimate,
                            ConstMatrixRef a, ConstMatrixRef b, int resamples, std::uint64_t seed,
                            double level) {
  return subsample_interval(estimate, a, b, resamples, seed, level);
}

}  // namespace rbig
