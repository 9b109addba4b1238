#pragma once
// The rotation step of one layer: the configured rotation kind (rotation_registry.hpp) fitted to
// the marginal step's output, its application to the work matrix (summing the next layer's column
// moments on the way), and the retry that keeps a PCA fit from repeating itself.

#include <rbig/options.hpp>
#include <rbig/rotation.hpp>
#include <rbig/types.hpp>

#include "fit/calibration.hpp"
#include "fit/reducer.hpp"
#include "fit/work_buffer.hpp"
#include "stats/moments.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace rbig::detail {

/// True for the kinds fitted from the covariance of y (PCA, and pursuit, which has the PCA axes
/// among its candidates): the marginal pass then sums it.
bool rotation_needs_covariance(RotationKind kind);

/// What the layer's Gaussian part looked like before the rotation: when every column got the
/// Gaussian map, PCA can only decorrelate.
struct RotationContext {
  bool all_columns_affine = false;
  const Vector* entropy_after_marginal = nullptr;  // H(y_d)
  const Vector* kept_negentropy = nullptr;         // Ĵ_d
  const InformationNoise* noise = nullptr;
};

/// work ← work·Rᵀ for the rotation fitted to work (over fixed row blocks, the same bits at
/// every thread count and in a work file, layer_passes.hpp); returns it and sets `next_moments` to
/// the rotated columns' moments. A PCA layer that is affine in every column and decorrelates
/// nothing (its Gaussian gain ½·Σ log var y − ½·Σ log var z within noise) would repeat itself
/// forever: the data is marginally Gaussian and uncorrelated. A random rotation then looks for
/// non-Gaussian directions elsewhere; on Gaussian data it finds none and the fit stops.
Rotation rotate_work(WorkBuffer& work, const Matrix& covariance, const FitOptions& options,
                     int layer, const RotationContext& context, const Reducer& reducer,
                     std::vector<std::optional<ColumnMoments>>& next_moments);

}  // namespace rbig::detail
