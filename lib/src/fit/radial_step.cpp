#include "fit/radial_step.hpp"

#include <rbig/marginal.hpp>

#include "core/math_constants.hpp"

namespace rbig::detail {

double marginal_step_gain(ConstMatrixRef work, const MarginalStep& step, const NullLevel& null) {
  const Vector mean_square =
      work.colwise().squaredNorm().transpose() / static_cast<double>(work.rows());
  double marginal_gain = 0.0;
  for (Index d = 0; d < work.cols(); ++d) {
    marginal_gain += kLogSqrt2Pi + 0.5 * mean_square[d] - (step.column_entropy[d] + null.mean) -
                     step.kept_negentropy[d];
  }
  return marginal_gain;
}

std::optional<RadialStep> try_radial_step(MatrixRef work, const MarginalStep& step,
                                          const FitOptions& options, const NullLevel& null,
                                          double min_gain) {
  const Index n = work.rows();
  const double marginal_gain = marginal_step_gain(work, step, null);
  FitOptions radius_options;
  radius_options.bandwidth_rule = BandwidthRule::Silverman;
  radius_options.threads = options.threads;
  Matrix y = work;
  RadialMap map = RadialMap::fit(work, make_marginal(MarginalKind::Kde, radius_options));
  Vector log_det = Vector::Zero(n);
  map.forward(y, log_det);
  const double gain =
      (log_det.sum() + 0.5 * work.squaredNorm() - 0.5 * y.squaredNorm()) / static_cast<double>(n) -
      null.mean;
  if (!(gain > marginal_gain) || !(gain > min_gain) || !y.allFinite()) return std::nullopt;
  work = y;
  return RadialStep{std::move(map), std::move(log_det), gain, marginal_gain};
}

}  // namespace rbig::detail
