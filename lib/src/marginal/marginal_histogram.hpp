#pragma once
// Histogram marginal: a piecewise-linear CDF over uniform bins (piecewise-constant density, exact
// inverse), with the shared Gaussian-then-logarithmic tails beyond the support. See
// marginal_histogram.cpp.

#include <rbig/registry.hpp>

#include "marginal/marginal_from_moments.hpp"
#include "marginal/tail_model.hpp"
#include "stats/normal.hpp"

#include <optional>
#include <vector>

namespace rbig::detail {

class HistogramMarginal final : public MarginalFromMoments {
 public:
  /// bins: empty for the data-driven rule (Scott's bin width on the extended range).
  explicit HistogramMarginal(std::optional<int> bins) : requested_bins_(bins) {}
  /// Rebuilds a fitted marginal from its stored parameters (model files); throws NumericalError
  /// if they do not describe a valid density.
  HistogramMarginal(double lower_edge, double bin_width, std::vector<double> bin_mass,
                    double tail_mass, double training_entropy);

  std::string_view type_name() const override { return "histogram"; }
  std::unique_ptr<MarginalTransform> clone() const override;
  void write(ByteWriter& out) const override;
  double training_entropy() const override { return training_entropy_; }
  SampleMoments training_moments() const override { return training_moments_; }
  std::vector<double> breakpoints() const override;  // the bin edges
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

 protected:
  void fit_with_moments(ConstVectorRef x, const ColumnMoments& moments,
                        const Reducer& reducer) override;

 private:
  struct Point {  // forward map at one x
    double z;
    double log_derivative;
  };
  // Where a value falls: its bin and the fraction of the bin below it, in [0, 1] inside the
  // support (beyond it, the first or last bin and a fraction that is not used).
  struct Position {
    int bin;
    double fraction;
  };
  // What the forward loop reads for one bin, packed so that one value touches one cache line.
  struct alignas(32) BinEntry {
    double cdf_below;  // P(X < left edge)
    double sf_above;   // P(X ≥ right edge)
    double mass;
    double log_density;
    double cdf(double fraction) const { return cdf_below + mass * fraction; }
    double sf(double fraction) const { return sf_above + mass * (1.0 - fraction); }
  };
  // The probabilities the forward map needs at a value: p = min(F, 1 − F), the same choice as an
  // offset q from ½ (F − ½ or ½ − (1 − F)), and the log density of the value's bin.
  struct Located {
    double p;
    double q;
    double log_density;
  };
  Position position(double x) const;
  Located locate(double x) const;
  Point map(double x) const;
  double unmap(double z) const;
  void rebuild();  // derived tables from the stored parameters
  // forward_batch picks the AVX2 clone of the loop where the CPU has it (core/vector_isa.hpp):
  // the same operations element by element, so the same bits.
  template <bool kWithLogDerivative>
  void forward_batch(ConstVectorRef x, VectorRef z, double* log_derivative) const;
  template <bool kWithLogDerivative>
  void forward_loop(const double* x, double* z, Index n, double* log_derivative) const;

  std::optional<int> requested_bins_;
  // Stored parameters: support [lower_edge_, lower_edge_ + bins·bin_width_], the probability of
  // each bin, and the probability tail_mass_ of each tail beyond the support.
  double lower_edge_ = 0.0;
  double bin_width_ = 1.0;
  std::vector<double> bin_mass_;
  double tail_mass_ = 0.0;
  double training_entropy_ = 0.0;
  SampleMoments training_moments_;  // set by fit() only
  // Derived: P(X < edge_i) and P(X ≥ edge_i) (for the inverse), the per-bin table of the forward
  // map, 1 / bin width (every binning multiplies by it, so all paths agree bit for bit), the last
  // bin index as a double, the upper edge and the tails.
  std::vector<double> cdf_at_edge_;
  std::vector<double> sf_at_edge_;
  std::vector<BinEntry> table_;
  double inv_bin_width_ = 1.0;
  double last_bin_ = 0.0;
  double upper_edge_ = 0.0;
  LinearLogTail lower_tail_{};
  LinearLogTail upper_tail_{};
};

/// The model file entry of this type (registry.cpp): its name, file id and reader.
MarginalType histogram_marginal_type();

}  // namespace rbig::detail
