#pragma once
// Gaussian marginal: the affine map z = (x − mean)/sd, i.e. F = the normal CDF of matched
// moments. Beyond kCore standard deviations it continues with the shared linear-then-logarithmic
// tail model, so that z stays finite (and z² representable) for every finite x.

#include <rbig/registry.hpp>

#include "marginal/marginal_from_moments.hpp"
#include "marginal/tail_model.hpp"
#include "stats/normal.hpp"

namespace rbig::detail {

class GaussianMarginal final : public MarginalFromMoments {
 public:
  static constexpr double kCore = 8.0;  // standard deviations mapped exactly affinely

  GaussianMarginal() = default;
  /// Rebuilds a fitted marginal from its stored parameters; throws NumericalError unless
  /// mean is finite and sd is finite and positive.
  GaussianMarginal(double mean, double sd);

  std::string_view type_name() const override { return "gaussian"; }
  std::unique_ptr<MarginalTransform> clone() const override;
  void write(ByteWriter& out) const override;
  double training_entropy() const override;
  SampleMoments training_moments() const override { return {mean_, sd_}; }  // its parameters
  void forward(ConstVectorRef x, VectorRef z) const override;
  void inverse(ConstVectorRef z, VectorRef x) const override;
  void log_derivative(ConstVectorRef x, VectorRef out) const override;
  void forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                   VectorRef log_derivative) const override;

  double mean() const { return mean_; }
  double sd() const { return sd_; }

 protected:
  void fit_with_moments(ConstVectorRef x, const ColumnMoments& moments,
                        const Reducer& reducer) override;

 private:
  void rebuild();
  // Writes z = (x − mean)/sd and returns true when every value lies in the core (false with a
  // NaN), else returns false and writes nothing.
  bool affine_if_all_in_core(const double* x, double* z, Index n) const;
  double map(double x) const;
  double map_log_derivative(double x) const;

  double mean_ = 0.0;
  double sd_ = 1.0;
  double log_sd_ = 0.0;  // derived: the log-derivative inside the core is −log_sd_
  LinearLogTail lower_tail_{};
  LinearLogTail upper_tail_{};
};

/// The model file entry of this type (registry.cpp): its name, file id and reader.
MarginalType gaussian_marginal_type();

}  // namespace rbig::detail
