#include "fit/rotation_step.hpp"

#include "core/rng.hpp"
#include "fit/layer_passes.hpp"
#include "rotation/rotation_registry.hpp"

namespace rbig::detail {
namespace {

/// The rotated columns' moments over all participants' rows.
std::vector<std::optional<ColumnMoments>> rotate_with_moments(MatrixRef work,
                                                              const Rotation& rotation, int threads,
                                                              const Reducer& reducer) {
  return merge_moments(multiply_rows_with_moments(work, rotation.matrix().transpose(), threads),
                       work.rows(), reducer);
}

/// ½·Σ log var y − ½·Σ log var z of a rotation of y into z, from the ledger's H(y_d) and the
/// rotated moments (or the columns themselves where a moment is missing).
double gaussian_gain(ConstMatrixRef z, const RotationContext& context,
                     const std::vector<std::optional<ColumnMoments>>& z_moments) {
  double gain = 0.0;
  for (Index d = 0; d < z.cols(); ++d) {
    const std::optional<ColumnMoments>& moments = z_moments[static_cast<size_t>(d)];
    gain += (*context.entropy_after_marginal)[d] + (*context.kept_negentropy)[d] -
            gaussian_entropy(moments ? moments->sd : column_moments(z.col(d)).sd);
  }
  return gain;
}

}  // namespace

bool rotation_needs_covariance(RotationKind kind) { return rotation_type(kind).needs_covariance; }

Rotation rotate_work(MatrixRef work, const Matrix& covariance, const FitOptions& options, int layer,
                     const RotationContext& context, const Reducer& reducer,
                     std::vector<std::optional<ColumnMoments>>& next_moments) {
  const std::uint64_t layer_seed = derive_seed(options.seed, static_cast<unsigned>(layer));
  Rotation rotation =
      rotation_type(options.rotation).fit({work, covariance, layer_seed, options.threads});
  next_moments = rotate_with_moments(work, rotation, options.threads, reducer);
  if (options.rotation == RotationKind::Pca && context.all_columns_affine) {
    const InformationNoise& noise = *context.noise;
    if (gaussian_gain(work, context, next_moments) < noise.pca_bias + 2.0 * noise.pca_noise) {
      rotation.apply_inverse(work);
      rotation = Rotation::random(work.cols(), layer_seed);
      next_moments = rotate_with_moments(work, rotation, options.threads, reducer);
    }
  }
  return rotation;
}

}  // namespace rbig::detail
