#include <rbig/marginal.hpp>

#include "marginal_gaussian.hpp"
#include "marginal_histogram.hpp"

#include <rbig/error.hpp>

namespace rbig {

std::unique_ptr<MarginalTransform> make_marginal(MarginalKind kind, const FitOptions& options) {
  switch (kind) {
    case MarginalKind::Histogram:
      return std::make_unique<detail::HistogramMarginal>(options.bins);
    case MarginalKind::Gaussian:
      return std::make_unique<detail::GaussianMarginal>();
  }
  throw Error("make_marginal: unknown marginal kind");
}

}  // namespace rbig
