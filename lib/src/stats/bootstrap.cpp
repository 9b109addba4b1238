#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/info.hpp>

#include "core/random_streams.hpp"
#include "core/rng.hpp"

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

/// x's rows drawn with replacement.
Matrix resample_rows(ConstMatrixRef x, detail::Rng& rng) {
  Matrix out(x.rows(), x.cols());
  const double rows = static_cast<double>(x.rows());
  for (Index r = 0; r < x.rows(); ++r) {
    const auto source = std::min(static_cast<Index>(rng.uniform() * rows), x.rows() - 1);
    out.row(r) = x.row(source);
  }
  return out;
}

/// Empirical quantile with linear interpolation between order statistics (sorted values).
double quantile(const std::vector<double>& sorted, double p) {
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double weight = position - static_cast<double>(below);
  return (1.0 - weight) * sorted[below] + weight * sorted[above];
}

Interval percentile_interval(std::vector<double> values, double level) {
  std::sort(values.begin(), values.end());
  return {quantile(values, (1.0 - level) / 2.0), quantile(values, (1.0 + level) / 2.0)};
}

}  // namespace

Interval bootstrap_interval(const std::function<double(ConstMatrixRef)>& estimate, ConstMatrixRef x,
                            int resamples, std::uint64_t seed, double level) {
  check_bootstrap_options(resamples, level);
  std::vector<double> values;
  for (int r = 0; r < resamples; ++r) {
    throw_if_cancelled();
    detail::Rng rng(detail::derive_seed(
        seed, detail::stream_id(detail::RandomStream::Bootstrap, static_cast<unsigned>(r))));
    values.push_back(estimate(resample_rows(x, rng)));
  }
  return percentile_interval(std::move(values), level);
}

Interval bootstrap_interval(const std::function<double(ConstMatrixRef, ConstMatrixRef)>& estimate,
                            ConstMatrixRef a, ConstMatrixRef b, int resamples, std::uint64_t seed,
                            double level) {
  check_bootstrap_options(resamples, level);
  std::vector<double> values;
  for (int r = 0; r < resamples; ++r) {
    throw_if_cancelled();
    detail::Rng rng(detail::derive_seed(
        seed, detail::stream_id(detail::RandomStream::Bootstrap, static_cast<unsigned>(r))));
    const Matrix resampled_a = resample_rows(a, rng);
    values.push_back(estimate(resampled_a, resample_rows(b, rng)));
  }
  return percentile_interval(std::move(values), level);
}

}  // namespace rbig
