#pragma once
// Damped marginal: y = α·g(x) + (1 − α)·s(x), a blend of a fitted Gaussianizing map g with the
// Gaussian map s of matched moments (GaussianMarginal). Both are increasing, with the shared
// tail model, so the blend is too; with α < 1 each layer takes a smaller, better regularised
// step and the held-out likelihood decides how many (FitOptions::damping, validation).

#include <rbig/registry.hpp>

#include "marginal/fitted_marginal.hpp"

#include "marginal/inverse_table.hpp"
#include "marginal/marginal_gaussian.hpp"

#include <memory>
#include <mutex>
#include <vector>

namespace rbig::detail {

class DampedMarginal final : public FittedMarginal {
 public:
  /// fitted: the full-strength map g (already fitted, a built-in type); gaussian: s fitted to the
  /// same sample; strength: α in (0, 1].
  DampedMarginal(std::unique_ptr<FittedMarginal> fitted, GaussianMarginal gaussian,
                 double strength);
  DampedMarginal(const DampedMarginal& other);

  std::string_view type_name() const override { return "damped"; }
  std::unique_ptr<MarginalTransform> clone() const override;
  void write(ByteWriter& out) const override;
  void fit(ConstVectorRef x) override;
  double training_entropy() const override { return fitted().training_entropy(); }
  SampleMoments training_moments() const override { return fitted().training_moments(); }
  void forward(ConstVectorRef x, VectorRef z) const override;
  /// Newton from a table of the blend on g's grid (InverseTable, built on the first call): about
  /// the cost of forward. Beyond the grid (the tails), bisection on the ordered bit patterns of
  /// doubles between g⁻¹(z) and s⁻¹(z), which bracket the solution: at most 64 steps.
  void inverse(ConstVectorRef z, VectorRef x) const override;
  void log_derivative(ConstVectorRef x, VectorRef out) const override;
  void forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                   VectorRef log_derivative) const override;

  const FittedMarginal& fitted() const;
  const GaussianMarginal& gaussian() const { return gaussian_; }
  double strength() const { return strength_; }

 private:
  void bisect_inverse(ConstVectorRef z, VectorRef x) const;
  const InverseTable& inverse_table() const;
  MapWithSlope map_with_slope() const;

  std::unique_ptr<FittedMarginal> fitted_;
  GaussianMarginal gaussian_;
  double strength_;
  // Derived on the first inverse() (thread-safe), never copied: a copy builds its own.
  mutable std::once_flag table_built_;
  mutable std::unique_ptr<InverseTable> table_;
};

/// The model file entry of the damped blend: its parameters, then the fitted map g.
MarginalType damped_marginal_type();

}  // namespace rbig::detail
