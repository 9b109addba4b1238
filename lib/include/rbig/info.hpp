#pragma once
/// Information-theory measures by multidimensional Gaussianization (Laparra, Johnson, Camps-Valls,
/// Santos-Rodríguez & Malo, "Information theory measures via multidimensional Gaussianization",
/// 2020). Rows are samples, columns dimensions; every result is in nats.
///
///   rbig::Matrix x = ...;                                   // N × D
///   double t = rbig::total_correlation(x);                  // T(X) ≥ 0
///   double i = rbig::mutual_information(x.leftCols(2), x.rightCols(3));
///
/// Every function fits one or more Model objects with `options.greedy()` (so the same data, options
/// and seed give the same value): the estimates sum the information each layer removes, so they
/// use every row and the greedy stopping rule, not a validation split or model selection. They
/// throw InputError for data with fewer than 10 rows or non-finite values, DimensionError for
/// operands whose sizes do not match, OptionError for bad options.

#include <rbig/model.hpp>
#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace rbig {

/// The columns (0-based, in order) of an exact linear dependence among the columns of x — a
/// duplicated column, a copy, y = a·x + b — within rounding (the smallest eigenvalue of their
/// correlation matrix below 1e-10), or nothing. The measures below use it: a dependence makes
/// total correlation and mutual information +∞ (returned as infinity, no fit) and entropy −∞
/// (InputError). A constant column is not a dependence: the measures refuse it (InputError).
std::optional<std::vector<Index>> linear_dependence(ConstMatrixRef x);

/// Total correlation T(X) = Σ_d H(X_d) − H(X): the information Gaussianization removes, summed over
/// layers (paper, eq. 6). Unchanged by invertible per-coordinate maps.
double total_correlation(ConstMatrixRef x, const FitOptions& options = {});

/// Differential entropy H(X) = Σ_d H(Z_d) − T(Z) − log|det W| (paper, eq. 7, after a linear
/// unmixing Z = W·X): W standardises the columns and applies ICA (Rotation::ica), so that linearly
/// mixed non-Gaussian sources reach the 1-D spacing estimates of H(Z_d) already separated
/// instead of being left to the layers of T. Throws InputError if the columns are collinear
/// (H = −∞).
double entropy(ConstMatrixRef x, const FitOptions& options = {});

/// Mutual information I(X;Y). x and y hold the same samples: equal row counts. Two routes, by
/// options.radial:
///  - off: T([G_X(X), G_Y(Y)]), each block Gaussianized alone and whitened (paper, eq. 8);
///  - on: T(X, Y) − T(X) − T(Y), each total correlation by total_correlation() with radial
///    layers offered. Dependence through a shared scale (multivariate Student-t) is elliptical in
///    the joint and in each block, so a radial layer removes it; after G_X and G_Y it is not
///    (bench/README.md, "Mutual information through a shared scale", has both routes measured).
double mutual_information(ConstMatrixRef x, ConstMatrixRef y, const FitOptions& options = {});

/// Conditional mutual information by the chain rule I(X;Y|Z) = I(X;[Y,Z]) − I(X;Z).
double conditional_mutual_information(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef z,
                                      const FitOptions& options = {});

/// KL(P‖Q) from samples of P and Q (same column count): Gaussianize with a model fitted on Q, then
/// the non-Gaussianity of P's latent rows, T + Σ_d KL(latent_d ‖ N(0,1)) (paper, eq. 9).
double kl_divergence(ConstMatrixRef p, ConstMatrixRef q, const FitOptions& options = {});

/// One model fit behind an estimate and how its total correlation enters it.
struct EstimateFit {
  /// What was fitted: "x" (tc), "unmixed x" (entropy), "x", "y" or "x,y" (mi), "q" or "p in the
  /// latent space of q" (kld); conditional mi prefixes "I(X;Y,Z) " or "I(X;Z) ".
  std::string role;
  /// The estimate holds weight × report.total_correlation: +1 or −1, or 0 for a fit used only as
  /// a map (a block's Gaussianization in mi, Q's Gaussianizer in kld).
  double weight = 1.0;
  Index dims = 0;         // columns fitted; rows are report.n_samples
  int radial_layers = 0;  // of report.layers, how many are radial (FitOptions::radial)
  FitReport report;
};

/// An estimate with the fits behind it: value = Σ_fits weight·report.total_correlation + other.
struct InfoEstimate {
  double value = 0.0;
  /// The part not read from layers: Σ_d H(Z_d) − log|det W| for entropy, the latent marginals'
  /// KL to N(0, 1) for kl_divergence, 0 for total correlation and mutual information.
  double other = 0.0;
  std::vector<EstimateFit> fits;
};

/// The functions above with the fits behind each value (same value, same arguments and errors).
InfoEstimate total_correlation_estimate(ConstMatrixRef x, const FitOptions& options = {});
InfoEstimate entropy_estimate(ConstMatrixRef x, const FitOptions& options = {});
InfoEstimate mutual_information_estimate(ConstMatrixRef x, ConstMatrixRef y,
                                         const FitOptions& options = {});
InfoEstimate conditional_mutual_information_estimate(ConstMatrixRef x, ConstMatrixRef y,
                                                     ConstMatrixRef z,
                                                     const FitOptions& options = {});
InfoEstimate kl_divergence_estimate(ConstMatrixRef p, ConstMatrixRef q,
                                    const FitOptions& options = {});

/// A two-sided confidence interval.
struct Interval {
  double low = 0.0;
  double high = 0.0;
  /// subsample_interval only: the bias-corrected estimate (see there); NaN otherwise.
  double corrected = std::numeric_limits<double>::quiet_NaN();
};

/// Half-sampling interval (subsampling without replacement, Politis, Romano & Wolf 1999, with
/// b = N/2): `estimate` on the full x and on `resamples` seeded halves of its rows (no row
/// twice: density- and spacing-based estimates move with duplicated rows, which made the
/// with-replacement bootstrap miss the truth, issue 14). For an estimate of variance σ²/n the
/// halves' spread about the full estimate is σ²/N, the full estimate's own; for a bias c/n their
/// mean sits c/N above it, so c = full − (mean of halves − full) is the bias-corrected estimate.
/// The interval is [min(full, c) − t·sd, max(full, c) + t·sd], sd the halves' standard
/// deviation and t Student's quantile with B − 1 degrees of freedom: a normal interval (fewer
/// resamples than percentiles) that spans both the raw and the corrected estimate, because the c/n
/// model of the bias holds for entropy but not where the fit's depth choice makes the bias jump
/// (weak dependence; bench/README.md has the coverage of each choice). Coverage is measured by
/// bench/coverage.cpp (bench/README.md). Throws OptionError unless resamples ≥ 2 and
/// 0 < level < 1.
Interval subsample_interval(const std::function<double(ConstMatrixRef)>& estimate, ConstMatrixRef x,
                            int resamples, std::uint64_t seed, double level = 0.95);

/// The same for an estimator of two independent samples (e.g. KL(P‖Q)): each resample halves
/// the rows of a and of b.
Interval subsample_interval(const std::function<double(ConstMatrixRef, ConstMatrixRef)>& estimate,
                            ConstMatrixRef a, ConstMatrixRef b, int resamples, std::uint64_t seed,
                            double level = 0.95);

/// The interval of subsample_interval from the full-sample estimate and the estimates on the
/// halves (for callers that keep the halves, e.g. bench/coverage.cpp).
Interval half_sample_interval(double full, const std::vector<double>& halves, double level = 0.95);

/// Former name of subsample_interval, kept for source compatibility (the same computation:
/// there is no with-replacement bootstrap any more).
Interval bootstrap_interval(const std::function<double(ConstMatrixRef)>& estimate, ConstMatrixRef x,
                            int resamples, std::uint64_t seed, double level = 0.95);
Interval bootstrap_interval(const std::function<double(ConstMatrixRef, ConstMatrixRef)>& estimate,
                            ConstMatrixRef a, ConstMatrixRef b, int resamples, std::uint64_t seed,
                            double level = 0.95);

}  // namespace rbig
