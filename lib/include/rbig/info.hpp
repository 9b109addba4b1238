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

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <cstdint>
#include <functional>

namespace rbig {

/// Total correlation T(X) = Σ_d H(X_d) − H(X): the information Gaussianization removes, summed over
/// layers (paper, eq. 6). Unchanged by invertible per-coordinate maps.
double total_correlation(ConstMatrixRef x, const FitOptions& options = {});

/// Differential entropy H(X) = Σ_d H(Z_d) − T(Z) − log|det W| (paper, eq. 7, after a linear
/// unmixing Z = W·X): W standardises the columns and applies ICA (Rotation::ica), so that linearly
/// mixed non-Gaussian sources reach the 1-D m-spacing estimates of H(Z_d) already separated
/// instead of being left to the layers of T. Throws InputError if the columns are collinear
/// (H = −∞).
double entropy(ConstMatrixRef x, const FitOptions& options = {});

/// Mutual information I(X;Y) = T([G_X(X), G_Y(Y)]), each block Gaussianized alone (paper, eq. 8).
/// x and y hold the same samples: equal row counts.
double mutual_information(ConstMatrixRef x, ConstMatrixRef y, const FitOptions& options = {});

/// Conditional mutual information by the chain rule I(X;Y|Z) = I(X;[Y,Z]) − I(X;Z).
double conditional_mutual_information(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef z,
                                      const FitOptions& options = {});

/// KL(P‖Q) from samples of P and Q (same column count): Gaussianize with a model fitted on Q, then
/// the non-Gaussianity of P's latent rows, T + Σ_d KL(latent_d ‖ N(0,1)) (paper, eq. 9).
double kl_divergence(ConstMatrixRef p, ConstMatrixRef q, const FitOptions& options = {});

/// A two-sided confidence interval.
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

/// Percentile bootstrap (Efron & Tibshirani 1993, ch. 13): `estimate` on `resamples` copies of x
/// whose rows are drawn with replacement (seeded; resample r uses its own stream), then the
/// (1 − level)/2 and (1 + level)/2 empirical quantiles. Throws OptionError unless resamples ≥ 2
/// and 0 < level < 1.
Interval bootstrap_interval(const std::function<double(ConstMatrixRef)>& estimate, ConstMatrixRef x,
                            int resamples, std::uint64_t seed, double level = 0.95);

/// The same for an estimator of two independent samples (e.g. KL(P‖Q)): each resample redraws the
/// rows of a and of b.
Interval bootstrap_interval(const std::function<double(ConstMatrixRef, ConstMatrixRef)>& estimate,
                            ConstMatrixRef a, ConstMatrixRef b, int resamples, std::uint64_t seed,
                            double level = 0.95);

}  // namespace rbig
