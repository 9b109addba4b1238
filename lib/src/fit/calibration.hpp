#pragma once
// The noise level of the fit's information estimate, measured once per fit: how far a layer's
// reading ΔT_k strays from zero on data that is already Gaussian. A layer is "small" when its
// reading is below tol plus twice that noise (FitOptions::tol, patience).
//
// A column's reading is its negentropy ½·log(2πe·s²) − Ĥ, Ĥ the resubstitution entropy of the
// layer's marginal fit. That 1-D estimate is biased; its bias b (and spread σ) on exactly
// Gaussian samples of the same size is measured by fitting the same marginal to seeded Gaussian
// samples, and b is added back, so a Gaussian marginal reads as Gaussian. For decorrelating
// rotations the Gaussian part of ΔT_k equals −½·log det corr(y), whose expectation on
// independent data is D(D−1)/(4N): that is subtracted too.

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include "fit/reducer.hpp"

namespace rbig::detail {

/// Mean and spread of one column's negentropy reading on Gaussian samples.
struct NullLevel {
  double mean = 0.0;
  double stddev = 0.0;
  /// A column reading below this is noise and takes the Gaussian fallback: z·stddev with
  /// z = max(2, Φ⁻¹(1 − 1/(2D))), so that about one Gaussian column in a layer, not 2.3 % of D,
  /// passes by chance. At D = 256 the 2σ rule gave 10–30 such columns a non-linear map in every
  /// layer; mixed by the next rotation, their small distortions read as a floor of ≈ 0.1 nats of
  /// dependence per layer and the fit of independent columns never stopped (issue 14). Below
  /// D = 22 the rule is the former 2σ.
  double significance = 0.0;
};

struct InformationNoise {
  NullLevel null;                // per column
  double pca_bias = 0.0;         // ≈ D(D−1)/(4N) for decorrelating rotations (pca_bias.hpp)
  double pca_noise = 0.0;        // its spread
  double small_threshold = 0.0;  // tol + 2·(the layer reading's noise)
};

/// Measures the null level of `kind` at n rows (seeded replicates on up to options.threads
/// threads, reduced in order) and derives the thresholds for dims columns. A distributed fit
/// (reducer) shares the replicates among its participants; n is the number of all rows.
InformationNoise calibrate_information_noise(MarginalKind kind, const FitOptions& options, Index n,
                                             Index dims, const Reducer& reducer = LocalReducer());

/// ½·log(2πe·s²), through log s: s² under- or overflows for columns of 1e∓300.
double gaussian_entropy(double sd);

}  // namespace rbig::detail
