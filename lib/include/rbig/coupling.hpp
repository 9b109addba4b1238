#pragma once
/// A conditional affine (coupling) destructor: some coordinates, each given one other coordinate,
/// are shifted and scaled by smooth functions of it, as one layer of a masked autoregressive flow
/// does, but fitted in closed form (coupling_fit.cpp) instead of by gradient descent. It works in
/// Gaussian space, after a layer's marginal maps (columns roughly N(0, 1)). For each pair
/// (target d, conditioner c):
///
///   z_d ← (z_d − m(z_c))·exp(−s(z_c)),   log|det ∂z'/∂z| = −Σ_pairs s(z_c),
///
/// with m and s continuous and piecewise linear on `knots` equally spaced knots over
/// [−range, range], constant beyond; where that output would leave [−range, range], the map
/// continues from the window's edge with slope 1 (log-derivative 0), so that rows beyond the
/// training rows' tails are not pushed further out by a scale fitted elsewhere
/// (coupling/windowed_affine.hpp). Targets are distinct and no target is a conditioner, so the
/// conditioners pass unchanged and the inverse z_d = z'_d·exp(s(z_c)) + m(z_c) (within the
/// window) is exact. Data whose
/// conditional distributions are Gaussian with a smoothly varying mean and scale (Neal's funnel, a
/// banana) are Gaussianized by one such map, where a product of 1-D maps needs many layers.

#include <rbig/bijector.hpp>
#include <rbig/types.hpp>

#include <cstdint>
#include <vector>

namespace rbig {

/// One conditional affine map: target ← (target − m(conditioner))·exp(−s(conditioner)); shift
/// and log_scale are m's and s's values at the knots.
struct CouplingPair {
  std::int32_t target = 0;
  std::int32_t conditioner = 1;
  Vector shift;
  Vector log_scale;
};

/// How CouplingMap::fit fits (defaults documented in coupling_fit.cpp).
struct CouplingSettings {
  int knots = 17;           // on [−range, range]: spacing 0.5 by default
  double range = 4.0;       // in the N(0, 1) units of the marginal maps' output
  double smoothness = 4.0;  // weight of the squared second differences (in rows)
};

class CouplingMap final : public Bijector {
 public:
  /// Fits pairs to the rows of x (N ≥ 2, D ≥ 2, finite; columns roughly N(0, 1)): for every
  /// ordered pair of columns, the penalized maximum-likelihood m and s of a Gaussian conditional;
  /// then, greedily by gain, pairs whose target and conditioner are still free, while a pair's
  /// training log-likelihood gain beats the gain such a fit reaches on independent columns
  /// (coupling_fit.cpp). No pair passing: an empty map (the identity).
  static CouplingMap fit(ConstMatrixRef x, const CouplingSettings& settings = {});
  /// A fitted map from its parts (model files); throws OptionError for knots outside [2, 4096],
  /// a range outside (0, 40], values of the wrong length, |shift| above 1e6 or |log_scale| above 30
  /// (NaN included), a repeated target or a target that is also a conditioner, and DimensionError
  /// for a column outside [0, dims) or a pair whose target is its conditioner.
  CouplingMap(Index dims, int knots, double range, std::vector<CouplingPair> pairs);
  /// The same, recording the mean training log-likelihood gain of the fit.
  CouplingMap(Index dims, int knots, double range, std::vector<CouplingPair> pairs,
              double training_gain);

  Index dims() const override { return dims_; }
  int knots() const { return knots_; }
  double range() const { return range_; }
  const std::vector<CouplingPair>& pairs() const { return pairs_; }
  /// Mean training log-likelihood gain of the fitted pairs over N(0, 1) columns, less the
  /// expected gain on independent columns (0 for a map built from parts).
  double training_gain() const { return training_gain_; }

  void forward(MatrixRef x, VectorRef log_det) const override;
  void inverse(MatrixRef z, VectorRef log_det) const override;

 private:
  Index dims_ = 0;
  int knots_ = 0;
  double range_ = 0.0;
  std::vector<CouplingPair> pairs_;
  double training_gain_ = 0.0;
};

}  // namespace rbig
