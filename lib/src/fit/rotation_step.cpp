#include "fit/rotation_step.hpp"

#include "core/rng.hpp"
#include "fit/layer_passes.hpp"
#include "rotation/rotation_registry.hpp"

#include <cassert>
#include <cmath>

namespace rbig::detail {
namespace {

/// The rotated columns' moments over all participants' rows.
std::vector<std::optional<ColumnMoments>> rotate_with_moments(WorkBuffer& work,
                                                              const Rotation& rotation, int threads,
                                                              const Reducer& reducer) {
  return multiply_rows_with_moments(work, rotation.matrix().transpose(), threads, reducer);
}

/// ½·Σ log var y − ½·Σ log var z of a rotation of y into z = y·Rᵀ, from the ledger's H(y_d) and
/// the covariance C of y: var z_d = r_d·C·r_dᵀ (r_d the d-th row of R). Read before the product,
/// so that a rotation that will be replaced is never applied (issue 16).
double gaussian_gain(const Matrix& rotation, const Matrix& covariance,
                     const RotationContext& context) {
  const Vector variances = (rotation * covariance).cwiseProduct(rotation).rowwise().sum();
  double gain = 0.0;
  for (Index d = 0; d < variances.size(); ++d) {
    gain += (*context.entropy_after_marginal)[d] + (*context.kept_negentropy)[d] -
            gaussian_entropy(std::sqrt(variances[d]));
  }
  return gain;
}

}  // namespace

bool rotation_needs_covariance(RotationKind kind) { return rotation_type(kind).needs_covariance; }

Rotation rotate_work(WorkBuffer& buffer, const Matrix& covariance, const FitOptions& options,
                     int layer, const RotationContext& context, const Reducer& reducer,
                     std::vector<std::optional<ColumnMoments>>& next_moments) {
  const MatrixRef work = buffer.ref();
  const std::uint64_t layer_seed = derive_seed(options.seed, static_cast<unsigned>(layer));
  Rotation rotation =
      rotation_type(options.rotation).fit({work, covariance, layer_seed, options.threads});
  if (options.rotation == RotationKind::Pca && context.all_columns_affine) {
    assert(covariance.rows() == work.cols());  // PCA is fitted from it
    const InformationNoise& noise = *context.noise;
    if (gaussian_gain(rotation.matrix(), covariance, context) <
        noise.pca_bias + 2.0 * noise.pca_noise) {
      rotation = Rotation::random(work.cols(), layer_seed);
    }
  }
  next_moments = rotate_with_moments(buffer, rotation, options.threads, reducer);
  return rotation;
}

}  // namespace rbig::detail
