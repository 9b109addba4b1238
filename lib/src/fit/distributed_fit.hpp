#pragma once
// Model::fit over rows spread among several participants (the rbig::mpi component gives it an
// MPI reducer): every participant calls it with its own contiguous part of the rows, in row
// order, and gets the same model.

#include <rbig/model.hpp>
#include <rbig/options.hpp>

#include "fit/reducer.hpp"

namespace rbig::detail {

/// x: rows [first_row, first_row + x.rows()) of all participants' rows, which follow one another
/// in participant order. The validation rows are chosen by their global row index, so they do
/// not depend on how the rows are split. Collective. With a LocalReducer (first_row 0), exactly
/// Model::fit(x, options, observer).
Model fit_distributed(ConstMatrixRef x, Index first_row, const FitOptions& options,
                      const FitObserver& observer, const Reducer& reducer);

}  // namespace rbig::detail
