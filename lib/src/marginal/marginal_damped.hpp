#pragma once
// Damped marginal: y = α·g(x) + (1 − α)·s(x), a blend of a fitted Gaussianizing map g with the
// Gaussian map s of matched moments (GaussianMarginal). Both are increasing, with the shared
// tail model, so the blend is too; with α < 1 each layer takes a smaller, better regularised
// step and the held-out likelihood decides how many (FitOptions::damping, validation).

#include <rbig/marginal.hpp>

#include "marginal/marginal_gaussian.hpp"

namespace rbig::detail {

class DampedMarginal final : public MarginalTransform {
 public:
  /// fitted: the full-strength map g (already fitted); gaussian: s fitted to the same sample;
  /// strength: α in (0, 1].
  DampedMarginal(std::unique_ptr<MarginalTransform> fitted, GaussianMarginal gaussian, double strength);
  DampedMarginal(const DampedMarginal& other);

  MarginalKind kind() const override { return fitted_->kind(); }
  std::unique_ptr<MarginalTransform> clone() const override;
  void fit(ConstVectorRef x) override;
  double training_entropy() const override { return fitted_->training_entropy(); }
  SampleMoments training_moments() const override { return fitted_->training_moments(); }
  void forward(ConstVectorRef x, VectorRef z) const override;
  /// Bisection on the ordered bit patterns of doubles between g⁻¹(z) and s⁻¹(z), which bracket
  /// the solution: at most 64 steps to adjacent doubles at any magnitude.
  void inverse(ConstVectorRef z, VectorRef x) const override;
  void log_derivative(ConstVectorRef x, VectorRef out) const override;
  void forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                   VectorRef log_derivative) const override;

  const MarginalTransform& fitted() const { return *fitted_; }
  const GaussianMarginal& gaussian() const { return gaussian_; }
  double strength() const { return strength_; }

 private:
  std::unique_ptr<MarginalTransform> fitted_;
  GaussianMarginal gaussian_;
  double strength_;
};

}  // namespace rbig::detail
