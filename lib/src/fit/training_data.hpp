#pragma once
// The rows a fit learns from and the rows it holds out to choose its depth and configuration.

#include <rbig/types.hpp>

#include <cstdint>

namespace rbig::detail {

struct TrainValidationSplit {
  Matrix train;
  Matrix validation;
};

/// Holds out round(fraction·N) rows of x at positions drawn from the seed (its validation
/// stream); both parts keep the rows' order. Throws InputError when either part would be too
/// small (at least 1 held-out row, 2 training rows).
TrainValidationSplit split_validation(ConstMatrixRef x, double fraction, std::uint64_t seed);

}  // namespace rbig::detail
