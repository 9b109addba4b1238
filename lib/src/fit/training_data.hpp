#pragma once
// The rows a fit learns from and the rows it holds out to choose its depth and configuration.

#include <rbig/types.hpp>

#include <cstdint>

namespace rbig::detail {

struct TrainValidationSplit {
  Matrix train;
  Matrix validation;
};

/// Throws InputError for data no fit can use: no columns, fewer than 2 rows, a value that is not
/// finite, a constant column (its 1-based index in InputError::column()), or no more rows than
/// columns.
void check_training_data(ConstMatrixRef x);

/// Holds out round(fraction·N) rows of x at positions drawn from the seed (its validation
/// stream); both parts keep the rows' order. Throws InputError when either part would be too
/// small (at least 1 held-out row, 2 training rows).
TrainValidationSplit split_validation(ConstMatrixRef x, double fraction, std::uint64_t seed);

}  // namespace rbig::detail
