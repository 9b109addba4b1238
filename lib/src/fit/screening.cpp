#include "fit/screening.hpp"

#include <rbig/cancel.hpp>

#include "core/random_streams.hpp"
#include "core/rng.hpp"

#include <algorithm>

namespace rbig::detail {

double screening_fraction(Index training_rows) {
  const Index rows = std::max(kScreeningRows, training_rows / 4);
  if (2 * rows > training_rows) return 1.0;
  return static_cast<double>(rows) / static_cast<double>(training_rows);
}

WorkBuffer screening_subsample(ConstMatrixRef x, const std::vector<Index>& index, double fraction,
                               std::uint64_t seed, const std::string& work_file) {
  const std::uint64_t stream = derive_seed(seed, stream_id(RandomStream::ScreeningSubsample));
  std::vector<Index> kept;
  for (Index i = 0; i < x.rows(); ++i) {
    if (hash_keeps(stream, static_cast<std::uint64_t>(index[static_cast<size_t>(i)]), fraction)) {
      kept.push_back(i);
    }
  }
  WorkBuffer buffer(work_file, "screen", static_cast<Index>(kept.size()), x.cols());
  MatrixRef rows = buffer.ref();
  // Column by column: sequential writes, as in split_validation.
  for (Index c = 0; c < x.cols(); ++c) {
    throw_if_cancelled();
    for (size_t k = 0; k < kept.size(); ++k) rows(static_cast<Index>(k), c) = x(kept[k], c);
  }
  return buffer;
}

}  // namespace rbig::detail
