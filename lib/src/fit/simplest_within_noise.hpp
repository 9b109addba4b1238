#pragma once
// The last choice of the default fit's model selection (model_selection.cpp): among the finalists
// fitted on every training row, the one with the fewest layers whose held-out score is within one
// standard error of the best one's (the "one-standard-error rule" of Breiman et al., Classification
// and Regression Trees, 1984, §3.4.3). Why: finalists often differ by less than the noise of 2,000
// validation rows, and then their order is a coin flip (bench/README.md, "The ring regression").

#include <rbig/types.hpp>

#include "fit/fitted_cascade.hpp"
#include "fit/reducer.hpp"

#include <cstddef>
#include <vector>

namespace rbig::detail {

/// Mean over held-out rows of a per-row log-likelihood difference, and its standard error.
struct PairedDifference {
  double mean = 0.0;
  double standard_error = 0.0;
};

/// log p_a − log p_b on the held-out rows (this participant's `validation`; the sums over all
/// participants' rows through `reducer`), for a and b fitted on the same training rows.
PairedDifference paired_difference(const FittedCascade& a, const FittedCascade& b,
                                   ConstMatrixRef validation, const Reducer& reducer);

/// Index in `fits` of the chosen one. scores: each fit's mean held-out log-likelihood at its
/// kept depth (the best of them is the reference); validation: this participant's held-out rows.
/// The standard error is that of the mean paired difference of the per-row log-likelihoods (all
/// participants' rows, summed through `reducer`). Ties in depth keep the better score, then the
/// earlier fit.
std::size_t simplest_within_noise(const std::vector<const FittedCascade*>& fits,
                                  const std::vector<double>& scores, ConstMatrixRef validation,
                                  const Reducer& reducer);

}  // namespace rbig::detail
