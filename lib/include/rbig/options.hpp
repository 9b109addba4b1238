#pragma once
/// Fit options: the one place where defaults, validation rules and their documentation live.
/// The names of the enumerators are the same in the CLI, the model file and this API.

#include <cstdint>
#include <optional>
#include <string_view>

namespace rbig {

/// How each layer maps one dimension to N(0,1): z = Φ⁻¹(F(x)) with F fitted by this method.
/// Gaussian: the affine map z = (x − mean)/sd (with the shared far-tail model), i.e. F is the
/// normal CDF of matched moments.
enum class MarginalKind { Histogram, Gaussian };
/// The orthogonal rotation that follows the marginal step of each layer.
enum class RotationKind { Pca, Random };

std::string_view to_string(MarginalKind kind);            // "histogram", "gaussian"
std::string_view to_string(RotationKind kind);            // "pca", "random"
MarginalKind parse_marginal_kind(std::string_view name);  // throws OptionError listing valid names
RotationKind parse_rotation_kind(std::string_view name);  // throws OptionError listing valid names

struct FitOptions {
  MarginalKind marginal = MarginalKind::Histogram;
  RotationKind rotation = RotationKind::Pca;
  /// Upper bound on the number of layers fitted.
  int max_layers = 100;
  /// If set, fit exactly this many layers (no early stop; max_layers, tol and patience unused).
  std::optional<int> layers;
  /// Nats. A layer whose estimated information reduction is below tol plus twice the
  /// estimator's own noise level on Gaussian data counts as "small".
  double tol = 1e-3;
  /// Stop after this many small layers in a row; trailing small layers are then dropped, keeping
  /// one to Gaussianize the marginals left by the last significant layer.
  int patience = 3;
  /// Per column and layer, use the Gaussian map instead of the fitted marginal when the column is
  /// Gaussian within the noise of the negentropy estimate (see model_fit.cpp): already Gaussian
  /// columns then add no histogram noise to the model.
  bool gaussian_fallback = true;
  /// Histogram bins per dimension; empty: Scott's rule on the extended range (see
  /// marginal_histogram.cpp), clamped to [10, 1000].
  std::optional<int> bins;
  /// Seeds random rotations and the calibration of the information estimate.
  std::uint64_t seed = 0;
  /// Worker threads; 0 means all cores. Never changes a result.
  int threads = 0;

  /// Throws OptionError naming the field, its value and the rule it breaks.
  void validate() const;
};

}  // namespace rbig
