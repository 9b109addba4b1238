#pragma once
// The rows a fit learns from and the rows it holds out to choose its depth and configuration.

#include <rbig/types.hpp>

#include "fit/reducer.hpp"
#include "fit/work_buffer.hpp"

#include <cstdint>
#include <vector>

namespace rbig::detail {

struct TrainValidationSplit {
  WorkBuffer train;
  WorkBuffer validation;
  /// The index of each training row among all rows of all participants (model selection draws
  /// its screening subsample by it, so that the subsample does not depend on the split either).
  std::vector<Index> train_index;
};

/// Throws InputError for data no fit can use: no columns, fewer than 2 rows, a value that is not
/// finite, a constant column (its 1-based index in InputError::column()), or no more rows than
/// columns.
void check_training_data(ConstMatrixRef x);
/// The same checks over all participants' rows (x: this one's), with the same verdict in every
/// participant (whose parts may be empty).
void check_training_data(ConstMatrixRef x, const Reducer& reducer);

/// Holds out round(fraction·N) rows of x at positions drawn from the seed (its validation
/// stream); both parts keep the rows' order. Throws InputError when either part would be too
/// small (at least 1 held-out row, 2 training rows).
/// In a distributed fit x holds rows [first_row, first_row + x.rows()) of total_rows: the held-out
/// positions are drawn over all rows, so every row is held out or not whatever the split.
/// total_rows < 0: x holds all rows. work_file: where the parts are kept (work_buffer.hpp).
TrainValidationSplit split_validation(ConstMatrixRef x, double fraction, std::uint64_t seed,
                                      Index first_row = 0, Index total_rows = -1,
                                      const std::string& work_file = {});

}  // namespace rbig::detail
