#include "fit/row_alignment.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace rbig::detail {

Index row_block_rows(Index total_rows) {
  constexpr Index kMaxBlockRows = 1024;
  constexpr Index kMinBlocks = 16;
  const Index most = std::min(kMaxBlockRows, std::max<Index>(1, total_rows / kMinBlocks));
  Index rows = 1;
  while (2 * rows <= most) rows *= 2;
  return rows;
}

std::optional<Matrix> align_rows(ConstMatrixRef x, const Reducer& reducer, const char* what) {
  if (reducer.is_local()) return std::nullopt;
  const std::vector<double> counts = reducer.gather({static_cast<double>(x.rows())});
  const auto parts = counts.size();
  // first[p]: participant p's first row now; target[p]: its first row once aligned.
  std::vector<Index> first(parts + 1, 0), target(parts + 1, 0);
  for (size_t p = 0; p < parts; ++p) first[p + 1] = first[p] + static_cast<Index>(counts[p]);
  const Index total = first[parts];
  const Index block = row_block_rows(total);
  for (size_t p = 1; p < parts; ++p)
    target[p] = std::min(total, (first[p] + block - 1) / block * block);
  target[parts] = total;
  for (size_t p = 0; p < parts; ++p) {
    if (target[p] == target[p + 1]) {
      throw InputError(what, 0, 0,
                       fmt::format("{} rows are too few for {} processes: each needs at least one "
                                   "block of {} rows (use fewer processes)",
                                   total, parts, block));
    }
  }
  const auto me = static_cast<size_t>(reducer.participant());
  // Every participant sends rows [first, min(target, next first)) to those before it, row-major.
  const auto sent_end = [&](size_t p) { return std::min(target[p], first[p + 1]); };
  std::vector<double> sent;
  for (Index row = first[me]; row < sent_end(me); ++row) {
    for (Index c = 0; c < x.cols(); ++c) sent.push_back(x(row - first[me], c));
  }
  const std::vector<double> moved = reducer.gather(sent);
  if (target[me] == first[me] && target[me + 1] == first[me + 1]) return std::nullopt;
  Matrix aligned(target[me + 1] - target[me], x.cols());
  const Index kept_end = std::min(first[me + 1], target[me + 1]);
  for (Index row = target[me]; row < kept_end; ++row)
    aligned.row(row - target[me]) = x.row(row - first[me]);
  // The rows received: from the participants after this one, in row order in `moved`.
  size_t offset = 0;  // in `moved`, of participant p's first sent row
  for (size_t p = 0; p < parts; ++p) {
    for (Index row = std::max(first[p], kept_end); row < sent_end(p); ++row) {
      if (row < target[me] || row >= target[me + 1]) continue;
      const size_t at = offset + static_cast<size_t>((row - first[p]) * x.cols());
      for (Index c = 0; c < x.cols(); ++c)
        aligned(row - target[me], c) = moved[at + static_cast<size_t>(c)];
    }
    offset += static_cast<size_t>(std::max<Index>(0, sent_end(p) - first[p]) * x.cols());
  }
  return aligned;
}

}  // namespace rbig::detail
