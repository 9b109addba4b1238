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

/// Throws DimensionError unless a layer map's `forward`/`inverse` got `dims` columns and one
/// log-determinant entry per row ("tree inverse: 3 columns and 9 log-determinant entries for 10
/// rows of a 2-dimensional tree"). map: the kind of map; direction: "forward" or "inverse".
inline void check_map_shape(std::string_view map, std::string_view direction, Index cols,
                            Index rows, Index log_dets, Index dims) {
  if (cols != dims || log_dets != rows) {
    throw DimensionError(
        fmt::format("{} {}: {} columns and {} log-determinant entries for {} rows "
                    "of a {}-dimensional {}",
                    map, direction, cols, log_dets, rows, dims, map));
  }
}

}  // namespace rbig::detail
