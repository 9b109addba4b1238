#pragma once
// The reading of layers that find nothing, measured where the calibration's per-column and PCA
// terms do not describe it. When D²/N is large, a rotation fitted to the sample's own covariance
// picks directions by that sample's noise, and the columns it writes read as a little
// non-Gaussian: at D = 256, N = 3,000 every layer on independent Gaussian columns read 0.04–0.12
// nats after the first, against a stopping threshold of 0.093, and the fit of independent
// columns ran on (TC 0.85 nats, issue 14). Such fits measure the floor on a seeded Gaussian
// sample of the same size instead, with the same options: a layer counts only above the mean
// plus twice the spread of those readings.

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include "fit/calibration.hpp"

namespace rbig::detail {

/// True for the information rule (no validation rows, no fixed depth) of a decorrelating
/// rotation whose fresh-data Gaussian reading is at least 1 nat (D(D−1)/(4N) ≥ 1: D = 100 at
/// N = 2,000, not the fixtures' or the 50+50 MI blocks' fits).
bool needs_null_layers(const InformationNoise& noise, const FitOptions& options, bool validating);

/// tol + mean + 2·spread of 2·patience layer readings of the same fit on a seeded N(0, I) sample of
/// rows × dims (a local fit: every participant of a distributed fit computes the same number).
double null_layer_floor(Index rows, Index dims, const FitOptions& options);

}  // namespace rbig::detail
