#include "fit/marginal_step.hpp"

#include "core/math_constants.hpp"
#include "core/parallel.hpp"
#include "fit/exact_statistics.hpp"
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

/// The known moments, completed over all participants' rows where missing (exact_statistics.hpp:
/// the same bits in one process as in several, so every marginal fit starts from them).
std::vector<std::optional<ColumnMoments>> complete_moments(
    const WorkColumns& work, const std::vector<std::optional<ColumnMoments>>& known, int threads,
    const Reducer& reducer) {
  std::vector<bool> missing(known.size());
  for (size_t d = 0; d < known.size(); ++d) missing[d] = !known[d];
  std::vector<std::optional<ColumnMoments>> result =
      exact_column_moments(work, missing, threads, reducer);
  for (size_t d = 0; d < known.size(); ++d) {
    if (known[d]) result[d] = known[d];
  }
  return result;
}

/// Collective calls must come in the same order everywhere: a distributed fit takes the
/// columns one after the other.
int column_threads(const FitOptions& options, const Reducer& reducer) {
  return reducer.is_local() ? options.threads : 1;
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

MarginalStep fit_marginal_step(const WorkColumns& work,
                               const std::vector<std::optional<ColumnMoments>>& known_here,
                               const FitOptions& options, int layer, const NullLevel& null,
                               const Reducer& all_rows) {
  const ColumnsReducer reducer(all_rows, work.rows());
  const Index dims = work.cols();
  const std::vector<std::optional<ColumnMoments>> known =
      complete_moments(work, known_here, options.threads, reducer);
  const MarginalKind kind = *options.marginal;
  const bool use_fallback = options.gaussian_fallback && kind != MarginalKind::Gaussian;
  const bool damped = is_damped(options);
  FitOptions layer_options = options;  // the annealed rule gives each layer its bandwidth
  if (options.bandwidth_rule == BandwidthRule::Annealed && !options.bandwidth) {
    layer_options.bandwidth = annealed_bandwidth(layer, total_rows(work.rows(), reducer));
  }
  MarginalStep step;
  step.marginals.resize(static_cast<size_t>(dims));
  step.column_entropy.resize(dims);
  step.kept_negentropy.resize(dims);
  step.affine.assign(static_cast<size_t>(dims), 0);
  parallel_for(dims, column_threads(options, reducer), [&](Index d) {
    const auto column = static_cast<size_t>(d);
    std::unique_ptr<MarginalFromMoments> fitted = make_marginal_from_moments(kind, layer_options);
    Vector scratch;
    const ConstVectorRef values = work.column(d, scratch);
    if (known[column]) {
      fitted->fit(values, *known[column], reducer);
    } else {
      fitted->fit(values);
    }
    const double entropy = fitted->training_entropy();
    step.column_entropy[d] = entropy;
    const SampleMoments moments = fitted->training_moments();
    const double negentropy = gaussian_entropy(moments.sd) - entropy - null.mean;
    step.kept_negentropy[d] = 0.0;
    if (use_fallback && negentropy < null.significance) {
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

Vector entropy_after_marginal_step(const WorkColumns& work, const MarginalStep& step,
                                   const Matrix& covariance, const FitOptions& options,
                                   const NullLevel& null, const Reducer& all_rows) {
  const Index dims = work.cols();
  const bool damped = is_damped(options);
  const bool have_covariance = covariance.size() > 0;
  Vector entropy(dims);
  // The moments of the columns measured below, over all rows (the same bits for any split).
  std::vector<std::optional<ColumnMoments>> moments(static_cast<size_t>(dims));
  const bool probes = damped && step.affine_columns() < dims;
  const std::optional<ColumnsReducer> columns =
      probes ? std::make_optional<ColumnsReducer>(all_rows, work.rows()) : std::nullopt;
  const Reducer& reducer = columns ? static_cast<const Reducer&>(*columns) : all_rows;
  {
    std::vector<bool> measured(static_cast<size_t>(dims));
    for (size_t d = 0; d < measured.size(); ++d) {
      measured[d] = (damped && step.affine[d] == 0) || !have_covariance;
    }
    moments = exact_column_moments(work, measured, options.threads, reducer);
  }
  parallel_for(dims, column_threads(options, reducer), [&](Index d) {
    const std::optional<ColumnMoments>& merged = moments[static_cast<size_t>(d)];
    if (damped && step.affine[static_cast<size_t>(d)] == 0) {
      // A damped step leaves y_d only partly Gaussian: measure its entropy like any column.
      const std::unique_ptr<MarginalFromMoments> probe =
          make_marginal_from_moments(*options.marginal, options);
      Vector scratch;
      const ConstVectorRef values = work.column(d, scratch);
      if (merged) {
        probe->fit(values, *merged, reducer);
      } else {
        probe->fit(values);
      }
      entropy[d] = probe->training_entropy() + null.mean;
    } else if (!have_covariance) {
      Vector scratch;
      const double sd = merged ? merged->sd : column_moments(work.column(d, scratch)).sd;
      entropy[d] = gaussian_entropy(sd) - step.kept_negentropy[d];
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
