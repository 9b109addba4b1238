#include "fit/marginal_step.hpp"

#include "core/math_constants.hpp"
#include "core/parallel.hpp"
#include "marginal/kde_bandwidth.hpp"
#include "marginal/marginal_damped.hpp"
#include "marginal/marginal_from_moments.hpp"
#include "marginal/marginal_gaussian.hpp"

#include <cmath>

namespace rbig::detail {
namespace {

bool is_damped(const FitOptions& options) {
  return *options.damping < 1.0 && *options.marginal != MarginalKind::Gaussian;
}

}  // namespace

double MarginalStep::entropy_sum() const {
  double sum = 0.0;
  for (Index d = 0; d < column_entropy.size(); ++d) sum += column_entropy[d];
  return sum;
}

Index MarginalStep::affine_columns() const {
  Index count = 0;
  for (Index flag : affine) count += flag;
  return count;
}

MarginalStep fit_marginal_step(ConstMatrixRef work,
                               const std::vector<std::optional<ColumnMoments>>& known,
                               const FitOptions& options, int layer, const NullLevel& null) {
  const Index dims = work.cols();
  const MarginalKind kind = *options.marginal;
  const bool use_fallback = options.gaussian_fallback && kind != MarginalKind::Gaussian;
  const bool damped = is_damped(options);
  FitOptions layer_options = options;  // the annealed rule gives each layer its bandwidth
  if (options.bandwidth_rule == BandwidthRule::Annealed && !options.bandwidth) {
    layer_options.bandwidth = annealed_bandwidth(layer, work.rows());
  }
  MarginalStep step;
  step.marginals.resize(static_cast<size_t>(dims));
  step.column_entropy.resize(dims);
  step.kept_negentropy.resize(dims);
  step.affine.assign(static_cast<size_t>(dims), 0);
  parallel_for(dims, options.threads, [&](Index d) {
    const auto column = static_cast<size_t>(d);
    std::unique_ptr<MarginalFromMoments> fitted = make_marginal_from_moments(kind, layer_options);
    if (known[column]) {
      fitted->fit(work.col(d), *known[column]);
    } else {
      fitted->fit(work.col(d));
    }
    const double entropy = fitted->training_entropy();
    step.column_entropy[d] = entropy;
    const SampleMoments moments = fitted->training_moments();
    const double negentropy = gaussian_entropy(moments.sd) - entropy - null.mean;
    step.kept_negentropy[d] = 0.0;
    if (use_fallback && negentropy < 2.0 * null.stddev) {
      // From the moments just computed: the Gaussian map needs no pass of its own.
      step.marginals[column] = std::make_unique<GaussianMarginal>(moments.mean, moments.sd);
      step.kept_negentropy[d] = negentropy;
      step.affine[column] = 1;
    } else if (damped) {
      step.marginals[column] = std::make_unique<DampedMarginal>(
          std::move(fitted), GaussianMarginal(moments.mean, moments.sd), *options.damping);
    } else {
      step.marginals[column] = std::move(fitted);
    }
  });
  return step;
}

Vector entropy_after_marginal_step(ConstMatrixRef work, const MarginalStep& step,
                                   const Matrix& covariance, const FitOptions& options,
                                   const NullLevel& null) {
  const Index dims = work.cols();
  const bool damped = is_damped(options);
  const bool have_covariance = covariance.size() > 0;
  Vector entropy(dims);
  parallel_for(dims, options.threads, [&](Index d) {
    if (damped && step.affine[static_cast<size_t>(d)] == 0) {
      // A damped step leaves y_d only partly Gaussian: measure its entropy like any column.
      const std::unique_ptr<MarginalFromMoments> probe =
          make_marginal_from_moments(*options.marginal, options);
      probe->fit(work.col(d));
      entropy[d] = probe->training_entropy() + null.mean;
    } else if (!have_covariance) {
      entropy[d] = gaussian_entropy(column_moments(work.col(d)).sd) - step.kept_negentropy[d];
    }
  });
  if (have_covariance) {
    for (Index d = 0; d < dims; ++d) {
      if (damped && step.affine[static_cast<size_t>(d)] == 0) continue;  // measured above
      entropy[d] = 0.5 * std::log(kTwoPiE * covariance(d, d)) - step.kept_negentropy[d];
    }
  }
  return entropy;
}

}  // namespace rbig::detail
