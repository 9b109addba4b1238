#pragma once
/// Radial Gaussianization (Lyu & Simoncelli 2009, "Nonlinear extraction of independent components
/// of natural images using radial Gaussianization"): a map of R^D that changes only each point's
/// distance from a centre, so that the radius of the standardised data follows the χ_D law of a
/// standard Gaussian's radius. It removes in one step the dependence that products of 1-D maps
/// cannot: that of elliptical (scale-mixture) densities such as the multivariate Student-t.
///
///   u = (x − c) / s  (per column),   r = |u|,   y = u · g(r) / r,
///   g(r) = F_χD⁻¹(Φ(m(log r))),
/// with m a fitted 1-D Gaussianizing map (MarginalTransform) of log r. It is invertible (g is
/// increasing from 0 to ∞) and log|det ∂y/∂x| = −Σ log s_d + (D − 1)·log(g/r) + log g′(r).
/// Latent points whose radial quantile lies beyond |m(log r)| = 37 (Φ below 1e-300) are clamped
/// there: no sample of any realistic size reaches them.

#include <rbig/bijector.hpp>
#include <rbig/marginal.hpp>
#include <rbig/types.hpp>

#include <memory>

namespace rbig {

class RadialMap final : public Bijector {
 public:
  /// Fits the map to the rows of x (N ≥ 2, finite): c the column means, s the column standard
  /// deviations (each > 0, else NumericalError), m = `log_radius` fitted to log |u|.
  static RadialMap fit(ConstMatrixRef x, std::unique_ptr<MarginalTransform> log_radius);
  /// A fitted map from its parts (model files); throws DimensionError when the sizes differ and
  /// OptionError for a non-positive or non-finite scale or an empty marginal.
  RadialMap(Vector center, Vector scale, std::unique_ptr<MarginalTransform> log_radius);
  RadialMap(const RadialMap& other);
  RadialMap& operator=(const RadialMap& other);
  RadialMap(RadialMap&&) noexcept = default;
  RadialMap& operator=(RadialMap&&) noexcept = default;
  ~RadialMap() override = default;

  Index dims() const override { return center_.size(); }
  const Vector& center() const { return center_; }
  const Vector& scale() const { return scale_; }
  const MarginalTransform& log_radius() const { return *log_radius_; }

  void forward(MatrixRef x, VectorRef log_det) const override;
  void inverse(MatrixRef z, VectorRef log_det) const override;

 private:
  Vector center_;
  Vector scale_;
  std::unique_ptr<MarginalTransform> log_radius_;
};

}  // namespace rbig
