#pragma once
// Histogram marginal: a piecewise-linear CDF over uniform bins (piecewise-constant density, exact
// inverse), with log-linear Gaussian-like tails beyond the support. See marginal_histogram.cpp.

#include <rbig/marginal.hpp>

#include "normal.hpp"

#include <optional>
#include <vector>

namespace rbig::detail {

class HistogramMarginal final : public MarginalTransform {
 public:
  /// bins: empty for the data-driven rule (Scott's bin width on the extended range).
  explicit HistogramMarginal(std::optional<int> bins) : requested_bins_(bins) {}
  /// Rebuilds a fitted marginal from its stored parameters (model files); throws NumericalError
  /// if they do not describe a valid density.
  HistogramMarginal(double lower_edge, double bin_width, std::vector<double> bin_mass,
                    double tail_mass, double training_entropy);

  MarginalKind kind() const override { return MarginalKind::Histogram; }
  std::unique_ptr<MarginalTransform> clone() const override;
  void fit(ConstVectorRef x) override;
  double training_entropy() const override { return training_entropy_; }
  void forward(ConstVectorRef x, VectorRef z) const override;
  void inverse(ConstVectorRef z, VectorRef x) const override;
  void log_derivative(ConstVectorRef x, VectorRef out) const override;
  void forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                   VectorRef log_derivative) const override;

  // Stored parameters.
  double lower_edge() const { return lower_edge_; }
  double bin_width() const { return bin_width_; }
  const std::vector<double>& bin_mass() const { return bin_mass_; }
  double tail_mass() const { return tail_mass_; }

 private:
  struct Point {  // forward map at one x
    double z;
    double log_derivative;
  };
  Point map(double x) const;
  double unmap(double z) const;
  void rebuild();  // derived tables from the stored parameters

  std::optional<int> requested_bins_;
  // Stored parameters: support [lower_edge_, lower_edge_ + bins·bin_width_], the probability of
  // each bin, and the probability tail_mass_ of each tail beyond the support.
  double lower_edge_ = 0.0;
  double bin_width_ = 1.0;
  std::vector<double> bin_mass_;
  double tail_mass_ = 0.0;
  double training_entropy_ = 0.0;
  // Derived: P(X < edge_i), P(X ≥ edge_i), log density per bin, tail anchors and slopes.
  std::vector<double> cdf_at_edge_;
  std::vector<double> sf_at_edge_;
  std::vector<double> log_density_;
  double upper_edge_ = 0.0;
  LogLinearTail lower_tail_{};
  LogLinearTail upper_tail_{};
};

}  // namespace rbig::detail
