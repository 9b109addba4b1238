#pragma once
// Spline marginal: a monotone piecewise-cubic (PCHIP) interpolant of the empirical CDF through
// regularly spaced sample quantiles, so the density is continuous, with the shared tail model
// tails beyond the end quantiles. See marginal_spline.cpp.

#include <rbig/registry.hpp>

#include <rbig/marginal.hpp>

#include "marginal/pointwise_marginal.hpp"

#include "marginal/tail_model.hpp"
#include "stats/normal.hpp"

#include <vector>

namespace rbig::detail {

class SplineMarginal final : public PointwiseMarginal<SplineMarginal> {
 public:
  SplineMarginal() = default;
  /// Rebuilds a fitted marginal from its stored parameters (model files); throws NumericalError
  /// if they do not describe a valid density.
  SplineMarginal(std::vector<double> knots, std::vector<double> levels, double tail_mass,
                 double floor_mass, double training_entropy);

  std::string_view type_name() const override { return "spline"; }
  std::unique_ptr<MarginalTransform> clone() const override;
  void write(ByteWriter& out) const override;
  double training_entropy() const override { return training_entropy_; }
  SampleMoments training_moments() const override { return training_moments_; }
  std::vector<double> breakpoints() const override { return knots_; }

  // Stored parameters.
  const std::vector<double>& knots() const { return knots_; }
  const std::vector<double>& levels() const { return levels_; }
  double tail_mass() const { return tail_mass_; }
  double floor_mass() const { return floor_mass_; }

 protected:
  void fit_with_moments(ConstVectorRef x, const ColumnMoments& moments,
                        const Reducer& reducer) override;

 private:
  friend class PointwiseMarginal<SplineMarginal>;  // uses map() and unmap()
  struct Point {                                   // forward map at one x
    double z;
    double log_derivative;
  };
  struct Cell {  // position of x in cell k: t ∈ [0, 1]
    size_t k;
    double t;
  };
  Cell locate(double x) const;
  double density_in(const Cell& cell) const;
  double cdf_in(const Cell& cell) const;  // F(x)
  double sf_in(const Cell& cell) const;   // 1 − F(x), without cancellation
  // The log-derivative only when asked: forward() needs z alone, and skips its logarithm.
  Point map(double x, bool with_log_derivative = true) const;
  double unmap(double z) const;
  void rebuild();  // derived tables from the stored parameters
  /// −(1/N)·Σ log f̂ over all participants' rows, summed by units (row_alignment.hpp).
  double entropy_of(ConstVectorRef x, const Reducer& reducer) const;

  // Stored parameters: knots x_0 < … < x_K (sample quantiles), the empirical CDF level P_k at
  // each (0 = P_0 < … < P_K = 1), the probability tail_mass_ of each tail beyond [x_0, x_K], and
  // the mass floor_mass_ spread uniformly over [x_0, x_K]. F = τ + a·P(x) + b·(x − x_0)/(x_K − x_0)
  // inside, a = 1 − 2τ − b, with P the PCHIP interpolant of (x_k, P_k).
  std::vector<double> knots_;
  std::vector<double> levels_;
  double tail_mass_ = 0.0;
  double floor_mass_ = 0.0;
  double training_entropy_ = 0.0;
  SampleMoments training_moments_;  // set by fit() only
  // Derived: PCHIP slopes dP/dx at the knots, 1 − P_k, F and 1 − F at the knots, tails.
  std::vector<double> slopes_;
  std::vector<double> upper_levels_;
  std::vector<double> cdf_at_knot_;
  std::vector<double> sf_at_knot_;
  double spline_weight_ = 0.0;  // a
  double floor_density_ = 0.0;  // b/(x_K − x_0)
  LinearLogTail lower_tail_{};
  LinearLogTail upper_tail_{};
};

/// The model file entry of this type (registry.cpp): its name, file id and reader.
MarginalType spline_marginal_type();

}  // namespace rbig::detail
