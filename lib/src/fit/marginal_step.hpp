#pragma once
// The marginal step of one layer: which map each column gets, and what the information ledger
// needs to know about it.
//
// Per column: the fitted marginal of the configured kind (its bandwidth given by the annealed
// schedule when that rule is on), then
//  - the Gaussian fallback: a column whose bias-corrected negentropy Ĵ = ½·log(2πe·var) − Ĥ − b
//    is within 2σ of zero (calibration.hpp) is Gaussian as far as this sample can tell and gets
//    the affine Gaussian map, which adds no estimation noise to the model; its output keeps that
//    negentropy, so H(y_d) = ½·log(2πe·var y_d) − Ĵ in the ledger;
//  - damping: otherwise, with FitOptions::damping α < 1, the blend α·g + (1 − α)·s with the
//    Gaussian map s of the same moments (marginal_damped.hpp).

#include <rbig/marginal.hpp>
#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include "fit/calibration.hpp"
#include "fit/reducer.hpp"
#include "fit/work_columns.hpp"
#include "stats/moments.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace rbig::detail {

struct MarginalStep {
  std::vector<std::unique_ptr<MarginalTransform>> marginals;  // one per column
  Vector column_entropy;      // Ĥ of each input column, from its fit
  Vector kept_negentropy;     // Ĵ left in y_d by the Gaussian fallback (0 elsewhere)
  std::vector<Index> affine;  // 1 where column d got the Gaussian map

  double entropy_sum() const;  // Σ_d Ĥ, in column order
  Index affine_columns() const;
};

/// Fits layer `layer`'s marginals to the columns of `work` (in parallel; the sums of the result
/// run in column order). known[d], when set, are column d's moments (the fit then skips its own
/// pass for them). With a distributed reducer, every statistic is taken over all participants'
/// rows (the columns then one after the other: the calls are collective).
MarginalStep fit_marginal_step(const WorkColumns& work,
                               const std::vector<std::optional<ColumnMoments>>& known,
                               const FitOptions& options, int layer, const NullLevel& null,
                               const Reducer& reducer);

/// H(y_d) of each column of `work` after the step's maps were applied: Gaussian by
/// construction, less the negentropy the fallback kept; a damped column is measured by a fit of
/// its own. `covariance` (empty unless the rotation needed it) gives the variances for free.
Vector entropy_after_marginal_step(const WorkColumns& work, const MarginalStep& step,
                                   const Matrix& covariance, const FitOptions& options,
                                   const NullLevel& null, const Reducer& reducer);

}  // namespace rbig::detail
