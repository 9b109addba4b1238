#pragma once
// The radial candidate of one layer (FitOptions::radial): a radial Gaussianization (radial.hpp)
// fitted to the layer's input, kept instead of the marginal step when it gains more training
// log-likelihood under N(0, I). Both gains are KL(x ‖ N(0, I)) − KL(y ‖ N(0, I)) over the training
// rows:
//  - marginal step: Σ_d [½·log 2π + ½·E x_d² − Ĥ(x_d)] less the negentropy the Gaussian fallback
//    keeps (y_d otherwise N(0, 1) by construction), Ĥ bias-corrected by the null level; computed
//    as if undamped, so a damped fit only turns radial for a clear win;
//  - radial map: the mean of log|det| + ½·|x|² − ½·|y|² over the rows, less the null level of its
//    one 1-D fit (the same resubstitution optimism the marginal entropies are corrected for).

#include <rbig/options.hpp>
#include <rbig/radial.hpp>
#include <rbig/types.hpp>

#include "fit/calibration.hpp"
#include "fit/marginal_step.hpp"

#include <optional>

namespace rbig::detail {

struct RadialStep {
  RadialMap map;
  Vector log_det;  // per training row, of the map applied to `work`
  double gain = 0.0;
  double marginal_gain = 0.0;
};

/// The marginal step's gain on `work` (before its maps): Σ_d [½·log 2π + ½·E x_d² − Ĥ(x_d)]
/// less the null level and the negentropy the Gaussian fallback keeps (see above).
double marginal_step_gain(ConstMatrixRef work, const MarginalStep& step, const NullLevel& null);

/// The radial map fitted to `work`, applied to it, when its gain beats both `step`'s and
/// `min_gain` (the noise level of a layer's reading: below it the choice would follow sampling
/// noise); otherwise nullopt and `work` unchanged. The log-radius map is a kde with Silverman's
/// bandwidth (a smooth 1-D law of log |u|, whatever the layer's marginal kind). The fit loop never
/// offers it right after a radial layer: two radial maps in a row are one radial map, and the
/// second would only refit noise (on 160 rows of wine eight in a row were chosen, and their
/// exponential tails compounded until sampling failed).
std::optional<RadialStep> try_radial_step(MatrixRef work, const MarginalStep& step,
                                          const FitOptions& options, const NullLevel& null,
                                          double min_gain);

}  // namespace rbig::detail
