#include "fit/screening.hpp"

#include "core/random_streams.hpp"
#include "core/rng.hpp"

#include <algorithm>

namespace rbig::detail {

double screening_fraction(Index training_rows) {
  const Index rows = std::max(kScreeningRows, training_rows / 4);
  if (2 * rows > training_rows) return 1.0;
  return static_cast<double>(rows) / static_cast<double>(training_rows);
}

Matrix screening_subsample(ConstMatrixRef x, const std::vector<Index>& index, double fraction,
                           std::uint64_t seed) {
  const std::uint64_t stream = derive_seed(seed, stream_id(RandomStream::ScreeningSubsample));
  std::vector<Index> kept;
  for (Index i = 0; i < x.rows(); ++i) {
    // The top 53 bits of a hash of (stream, row index) as a uniform number in [0, 1).
    const std::uint64_t hash =
        derive_seed(stream, static_cast<std::uint64_t>(index[static_cast<size_t>(i)]));
    if (static_cast<double>(hash >> 11) * 0x1.0p-53 < fraction) kept.push_back(i);
  }
  Matrix rows(static_cast<Index>(kept.size()), x.cols());
  for (size_t k = 0; k < kept.size(); ++k) rows.row(static_cast<Index>(k)) = x.row(kept[k]);
  return rows;
}

}  // namespace rbig::detail
