#include "fit/calibration.hpp"

#include <rbig/marginal.hpp>

#include "core/math_constants.hpp"
#include "core/parallel.hpp"
#include "core/random_streams.hpp"
#include "core/rng.hpp"
#include "core/ziggurat_normal.hpp"
#include "fit/pca_bias.hpp"
#include "stats/normal.hpp"
#include "marginal/marginal_from_moments.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace rbig::detail {
namespace {

constexpr int kCalibrationReplicates = 16;

/// At least 16 replicates, and one per column above that: a layer's reading sums D columns'
/// bias-corrected negentropies, so an error ε in the null mean becomes D·ε per layer, and an
/// underestimated spread lets noise pass the Gaussian fallback on many columns. With 16 at
/// D = 256, N = 3,000 the spread read 0.00057 for a measured 0.00091 and 40 of 256 Gaussian
/// columns were given non-linear maps; the fit then never stopped (issue 14). The first 16
/// replicates are those of every smaller fit, so fits of D ≤ 16 columns are unchanged.
int calibration_replicates(Index dims) {
  return std::max(kCalibrationReplicates, static_cast<int>(std::min<Index>(dims, 1024)));
}

NullLevel gaussian_null(MarginalKind kind, const FitOptions& options, Index n, Index dims,
                        const Reducer& reducer) {
  const int replicates = calibration_replicates(dims);
  std::vector<double> readings(static_cast<size_t>(replicates), 0.0);
  // Replicates are independent (one seeded stream each): run them in parallel, reduce in order.
  // In a distributed fit each participant runs every K-th replicate and the sum shares them (the
  // others add exact zeros: the same bits as one process computing all).
  parallel_for(replicates, options.threads, [&](Index r) {
    if (r % reducer.participants() != reducer.participant()) return;
    Vector sample(n);
    // The ziggurat: these N·R draws are only read through the replicate's marginal, and with
    // Box–Muller they took ~14 % of a 20-layer 10⁵×10 histogram fit (issue 16).
    ZigguratNormal(derive_seed(options.seed, stream_id(RandomStream::FitCalibration,
                                                       static_cast<std::uint64_t>(r))))
        .fill(sample.data(), n);
    const std::unique_ptr<MarginalFromMoments> marginal = make_marginal_from_moments(kind, options);
    marginal->fit(sample);
    readings[static_cast<size_t>(r)] =
        gaussian_entropy(marginal->training_moments().sd) - marginal->training_entropy();
  });
  reducer.sum(readings);
  NullLevel level;
  for (double v : readings) level.mean += v / replicates;
  double squares = 0.0;
  for (double v : readings) squares += (v - level.mean) * (v - level.mean);
  level.stddev = std::sqrt(squares / (replicates - 1));
  return level;
}

}  // namespace

double gaussian_entropy(double sd) { return 0.5 * std::log(kTwoPiE) + std::log(sd); }

InformationNoise calibrate_information_noise(MarginalKind kind, const FitOptions& options, Index n,
                                             Index dims, const Reducer& reducer) {
  const double dd = static_cast<double>(dims);
  // ICA whitens, so its Gaussian part equals PCA's −½·log det corr(y), with the same bias.
  // Pursuit takes the same correction as an approximation: choosing the best of several
  // candidates adds a selection bias of its own, which is not corrected (it only matters
  // without validation).
  const bool decorrelating = options.rotation != RotationKind::Random;
  InformationNoise noise;
  noise.null = gaussian_null(kind, options, n, dims, reducer);
  const double chance_z = normal_quantile(1.0 - 0.5 / std::max(1.0, dd));
  noise.null.significance = std::max(2.0, chance_z) * noise.null.stddev;
  if (decorrelating) {
    const PcaReading pca = fresh_pca_reading(dims, n);
    noise.pca_bias = pca.mean;
    noise.pca_noise = pca.stddev;
  }
  const double total =
      std::sqrt(dd * noise.null.stddev * noise.null.stddev + noise.pca_noise * noise.pca_noise);
  noise.small_threshold = options.tol + 2.0 * total;
  return noise;
}

}  // namespace rbig::detail
