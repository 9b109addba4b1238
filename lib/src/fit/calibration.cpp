#include "fit/calibration.hpp"

#include <rbig/marginal.hpp>

#include "core/math_constants.hpp"
#include "core/parallel.hpp"
#include "core/random_streams.hpp"
#include "core/rng.hpp"
#include "marginal/marginal_from_moments.hpp"

#include <cmath>
#include <memory>
#include <vector>

namespace rbig::detail {
namespace {

constexpr int kCalibrationReplicates = 16;

NullLevel gaussian_null(MarginalKind kind, const FitOptions& options, Index n,
                        const Reducer& reducer) {
  std::vector<double> readings(kCalibrationReplicates, 0.0);
  // Replicates are independent (one seeded stream each): run them in parallel, reduce in order.
  // In a distributed fit each participant runs every K-th replicate and the sum shares them (the
  // others add exact zeros: the same bits as one process computing all).
  parallel_for(kCalibrationReplicates, options.threads, [&](Index r) {
    if (r % reducer.participants() != reducer.participant()) return;
    Vector sample(n);
    Rng rng(derive_seed(options.seed,
                        stream_id(RandomStream::FitCalibration, static_cast<std::uint64_t>(r))));
    for (Index i = 0; i < n; ++i) sample[i] = rng.normal();
    const std::unique_ptr<MarginalFromMoments> marginal = make_marginal_from_moments(kind, options);
    marginal->fit(sample);
    readings[static_cast<size_t>(r)] =
        gaussian_entropy(marginal->training_moments().sd) - marginal->training_entropy();
  });
  reducer.sum(readings);
  NullLevel level;
  for (double v : readings) level.mean += v / kCalibrationReplicates;
  double squares = 0.0;
  for (double v : readings) squares += (v - level.mean) * (v - level.mean);
  level.stddev = std::sqrt(squares / (kCalibrationReplicates - 1));
  return level;
}

}  // namespace

double gaussian_entropy(double sd) { return 0.5 * std::log(kTwoPiE) + std::log(sd); }

InformationNoise calibrate_information_noise(MarginalKind kind, const FitOptions& options, Index n,
                                             Index dims, const Reducer& reducer) {
  const double nd = static_cast<double>(n);
  const double dd = static_cast<double>(dims);
  // ICA whitens, so its Gaussian part equals PCA's −½·log det corr(y), with the same bias.
  // Pursuit takes the same correction as an approximation: choosing the best of several
  // candidates adds a selection bias of its own, which is not corrected (it only matters
  // without validation).
  const bool decorrelating = options.rotation != RotationKind::Random;
  InformationNoise noise;
  noise.null = gaussian_null(kind, options, n, reducer);
  noise.pca_bias = decorrelating ? dd * (dd - 1.0) / (4.0 * nd) : 0.0;
  noise.pca_noise = decorrelating ? std::sqrt(dd * (dd - 1.0) / 4.0) / nd : 0.0;
  const double total =
      std::sqrt(dd * noise.null.stddev * noise.null.stddev + noise.pca_noise * noise.pca_noise);
  noise.small_threshold = options.tol + 2.0 * total;
  return noise;
}

}  // namespace rbig::detail
