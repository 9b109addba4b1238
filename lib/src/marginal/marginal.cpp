#include <rbig/marginal.hpp>

#include "marginal/marginal_from_moments.hpp"
#include "marginal/marginal_gaussian.hpp"
#include "marginal/marginal_histogram.hpp"
#include "marginal/marginal_kde.hpp"
#include "marginal/marginal_spline.hpp"

#include <rbig/error.hpp>

namespace rbig {

std::unique_ptr<detail::MarginalFromMoments> detail::make_marginal_from_moments(
    MarginalKind kind, const FitOptions& options) {
  switch (kind) {
    case MarginalKind::Histogram:
      return std::make_unique<detail::HistogramMarginal>(options.bins);
    case MarginalKind::Gaussian:
      return std::make_unique<detail::GaussianMarginal>();
    case MarginalKind::Kde:
      return std::make_unique<detail::KdeMarginal>(
          options.bandwidth, options.bandwidth_rule.value_or(BandwidthRule::Silverman));
    case MarginalKind::Spline:
      return std::make_unique<detail::SplineMarginal>();
  }
  throw Error("make_marginal: unknown marginal kind");
}

std::unique_ptr<MarginalTransform> make_marginal(MarginalKind kind, const FitOptions& options) {
  return detail::make_marginal_from_moments(kind, options);
}

}  // namespace rbig
