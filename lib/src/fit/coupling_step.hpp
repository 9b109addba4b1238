#pragma once
// The coupling candidate of one layer (FitOptions::coupling): after the layer's marginal maps, a
// conditional affine destructor (coupling.hpp) fitted to the Gaussianized columns, kept in the
// layer when it removes dependence a product of 1-D maps cannot. Its gain over the marginal layer
// is exactly the mean training log-likelihood gain of its pairs under N(0, I), less the gain each
// pair would reach on independent columns (the fit's optimism, coupling_fit.cpp).

#include <rbig/coupling.hpp>
#include <rbig/types.hpp>

#include "fit/reducer.hpp"

#include <optional>

namespace rbig::detail {

struct CouplingStep {
  CouplingMap map;
  Vector log_det;  // per training row, of the map applied to `work`
  double gain = 0.0;
};

/// Rows the coupling map is fitted on at most: like the mixture's EM (mixture_rows.hpp), on rows
/// chosen by their global position and gathered to every participant, so that a distributed fit
/// or one with a work file fits the same map. In one process with at most this many training rows
/// (every bench_density set) nothing is subsampled.
inline constexpr Index kCouplingFitRows = Index{1} << 15;

/// The coupling map fitted to `work` (this participant's part of the layer's marginal output,
/// through `reducer`), applied to it in place, when it has a pair and its gain beats `min_gain`
/// (the noise level of a layer's reading); otherwise nullopt and `work` unchanged.
std::optional<CouplingStep> try_coupling_step(MatrixRef work, double min_gain,
                                              const Reducer& reducer);

}  // namespace rbig::detail
