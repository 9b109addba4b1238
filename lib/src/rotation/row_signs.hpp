#pragma once
// The sign convention every fitted rotation shares (pca, ica, sliced): an axis and its negative
// are the same direction, so each row of R is flipped to make its largest-magnitude entry
// positive. The fitted matrix then depends on the data alone, not on a solver's sign choice.

#include <rbig/types.hpp>

namespace rbig::detail {

inline void make_largest_entries_positive(Matrix& rows) {
  for (Index k = 0; k < rows.rows(); ++k) {
    Index largest = 0;
    rows.row(k).cwiseAbs().maxCoeff(&largest);
    if (rows(k, largest) < 0.0) rows.row(k) *= -1.0;
  }
}

}  // namespace rbig::detail
