#pragma once
// KDE marginal: the CDF of a Gaussian kernel density estimate, binned onto a uniform grid
// (piecewise-linear density between grid points, so a piecewise-quadratic CDF with an exact
// inverse), with the shared linear-then-logarithmic tails beyond the grid. See marginal_kde.cpp.

#include <rbig/registry.hpp>

#include <rbig/marginal.hpp>

#include "marginal/pointwise_marginal.hpp"

#include "marginal/tail_model.hpp"
#include "stats/normal.hpp"

#include <optional>
#include <vector>

namespace rbig::detail {

/// The most grid nodes a kde marginal fits (one per quarter bandwidth below it). A distributed
/// fit sums every column's grid counts once per layer: 1,024 doubles per column keep a layer at
/// D = 100 under 1 MB whatever N (0.87 MB measured; 2,048 would send 1.6 MB once N is large
/// enough), at a measured cost in held-out log-likelihood (bench/README.md, "bench_mpi").
inline constexpr Index kKdeMaxNodes = 1024;

/// How the slope beyond the grid is bounded below (see rebuild() in marginal_kde.cpp).
/// Spread: by the map's mean slope and by 1/(kTailSpreadFactor·sd of the estimate), since model
/// format 5. MeanSlope: by the mean slope only, as model files of versions 3 and 4 were written.
enum class KdeTails { Spread, MeanSlope };

class KdeMarginal final : public PointwiseMarginal<KdeMarginal> {
 public:
  /// bandwidth: in units of the sample's standard deviation; empty: by `rule`.
  KdeMarginal(std::optional<double> bandwidth, BandwidthRule rule)
      : requested_bandwidth_(bandwidth), rule_(rule) {}
  /// Rebuilds a fitted marginal from its stored parameters (model files); throws NumericalError
  /// if they do not describe a valid density.
  KdeMarginal(double lower_node, double step, std::vector<double> density, double tail_mass,
              double training_entropy, KdeTails tails = KdeTails::Spread);

  std::string_view type_name() const override { return "kde"; }
  std::unique_ptr<MarginalTransform> clone() const override;
  void write(ByteWriter& out) const override;
  double training_entropy() const override { return training_entropy_; }
  SampleMoments training_moments() const override { return training_moments_; }
  std::vector<double> breakpoints() const override;  // the grid nodes

  // Batched, in chunks of short passes that vectorise (marginal_kde.cpp); each value gets exactly
  // the arithmetic of map().
  void forward(ConstVectorRef x, VectorRef z) const override;
  void log_derivative(ConstVectorRef x, VectorRef out) const override;
  void forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                   VectorRef log_derivative) const override;

  struct Point {  // forward map at one x
    double z;
    double log_derivative;
  };
  /// The map at one value, as the batched calls compute it value by value (their reference).
  /// The log-derivative only when asked: forward() needs z alone, and skips its logarithm.
  Point map(double x, bool with_log_derivative = true) const;

  // Stored parameters.
  double lower_node() const { return lower_node_; }
  double step() const { return step_; }
  const std::vector<double>& density() const { return density_; }
  double tail_mass() const { return tail_mass_; }
  /// The bandwidth of the last fit (not stored: the grid density already contains it).
  double bandwidth() const { return bandwidth_; }

 protected:
  void fit_with_moments(ConstVectorRef x, const ColumnMoments& moments,
                        const Reducer& reducer) override;

 private:
  friend class PointwiseMarginal<KdeMarginal>;  // uses unmap()
  double unmap(double z) const;
  // forward_batch picks the AVX2 clone of the loop where the CPU has it (core/vector_isa.hpp):
  // the same operations in the same order, so the same bits.
  template <bool kWithLogDerivative>
  void forward_batch(ConstVectorRef x, VectorRef z, double* log_derivative) const;
  template <bool kWithLogDerivative>
  void forward_loop(const double* x, double* z, Index n, double* log_derivative) const;
  void rebuild();  // derived tables from the stored parameters

  std::optional<double> requested_bandwidth_;
  BandwidthRule rule_ = BandwidthRule::Silverman;
  KdeTails tails_ = KdeTails::Spread;
  double bandwidth_ = 0.0;
  // Stored parameters: grid nodes g_j = lower_node_ + j·step_, j = 0…G−1, the density f_j > 0 at
  // each node (linear in between), and the probability tail_mass_ of each tail beyond the grid.
  double lower_node_ = 0.0;
  double step_ = 1.0;
  std::vector<double> density_;
  double tail_mass_ = 0.0;
  double training_entropy_ = 0.0;
  SampleMoments training_moments_;  // set by fit() only
  // Derived: P(X < g_j), P(X ≥ g_j), the mass of each cell, upper node and the tails.
  std::vector<double> cdf_at_node_;
  std::vector<double> sf_at_node_;
  std::vector<double> cell_mass_;
  double upper_node_ = 0.0;
  LinearLogTail lower_tail_{};
  LinearLogTail upper_tail_{};
};

/// The model file entry of this type (registry.cpp): its name, file id and reader.
MarginalType kde_marginal_type();

}  // namespace rbig::detail
