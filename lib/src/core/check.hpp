#pragma once
// Argument checks for public functions: each throws with a message naming where, what and the
// offending value, in the uniform style of error.hpp.

#include <rbig/error.hpp>
#include <rbig/types.hpp>

#include <fmt/format.h>

#include <cmath>
#include <string_view>

namespace rbig::detail {

/// Throws InputError naming the first non-finite entry of x (row and column are 1-based).
inline void check_finite(std::string_view where, std::string_view what, ConstMatrixRef x) {
  for (Index c = 0; c < x.cols(); ++c) {
    for (Index r = 0; r < x.rows(); ++r) {
      if (!std::isfinite(x(r, c))) {
        throw InputError(std::string(where), static_cast<std::size_t>(r + 1),
                         static_cast<std::size_t>(c + 1),
                         fmt::format("{} must be finite, got {}", what, x(r, c)));
      }
    }
  }
}

/// Throws DimensionError unless x has the expected number of columns.
inline void check_columns(std::string_view where, Index expected, ConstMatrixRef x) {
  if (x.cols() != expected) {
    throw DimensionError(
        fmt::format("{}: model has {} dimensions, data has {} columns", where, expected, x.cols()));
  }
}

}  // namespace rbig::detail
