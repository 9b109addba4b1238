#pragma once
// The default fit's coupling challenger (FitOptions::coupling empty; model_selection.cpp): after
// the model selection has chosen a configuration (and whether a mixture first layer), the
// configuration the raw rows preferred, damped to at most 0.5, is fitted once more on the raw
// training rows with coupling layers offered to every layer (coupling.hpp), racing the chosen
// model's held-out score, and it replaces the chosen model when its held-out score is better
// (ties keep the chosen one), as any other candidate would.
//
// Why one challenger and not coupling in every candidate: with coupling offered to every layer
// of every candidate (`--coupling`), the funnel's gap fell on every split (0.005 → 0.003) and
// digits gained 2 nats, but the fits cost 4–11× more where no coupling layer was ever kept
// (gmm8, gmm16, checkerboard), and on wine and breast_cancer (142–455 training rows) pairs
// kept by the χ² bound lost on the test rows (bench/README.md, "Conditional affine layers").
// Hence two guards: at least kCouplingRows training rows, and a gate (a coupling map must keep
// a pair on the marginally Gaussianized training rows, else no fit is tried). What it wins and
// costs on bench_density's sets: bench/README.md, "The coupling challenger".

#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include "fit/reducer.hpp"

namespace rbig::detail {

/// Training rows below which the challenger is not offered: each pair fits 2 × 17 knot values.
constexpr Index kCouplingRows = 1000;

/// Whether the challenger is offered to a fit with these options on `training_rows` (all
/// participants') × `dims`: coupling empty, no tree, no fixed layer count (as for the mixture:
/// explicit held-out rows with layers set choose nothing), two columns or more, enough rows.
bool offers_coupling(const FitOptions& options, Index training_rows, Index dims);

/// The gate: whether a coupling map (CouplingMap::fit) keeps a pair on the rows of x (this
/// participant's part, through `reducer`) with each column mapped by its empirical CDF and Φ⁻¹:
/// at most 2¹⁴ rows, chosen by global position (mixture_rows.hpp), the same on every participant.
bool coupling_gains_after_marginals(ConstMatrixRef x, const Reducer& reducer);

}  // namespace rbig::detail
